package dev.stowage.functions.adapter;

import java.util.List;
import java.util.Map;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The liveness and readiness probes at the actuator's paths and with its answers ({@code 200
 * {"status":"UP"}}, or 503 with {@code DOWN} / {@code OUT_OF_SERVICE}), from Spring Boot's
 * application availability: readiness turns to {@code OUT_OF_SERVICE} as soon as a SIGTERM starts
 * the graceful shutdown. Without the actuator's endpoint machinery, which a function starting for
 * its first event would otherwise set up first.
 */
@RestController
public class HealthProbes {
    private static final String UP = "UP";

    private final ApplicationAvailability availability;

    public HealthProbes(ApplicationAvailability availability) {
        this.availability = availability;
    }

    @GetMapping("/actuator/health/liveness")
    public ResponseEntity<Map<String, String>> liveness() {
        return answer(live() ? UP : "DOWN");
    }

    @GetMapping("/actuator/health/readiness")
    public ResponseEntity<Map<String, String>> readiness() {
        return answer(ready() ? UP : "OUT_OF_SERVICE");
    }

    /** Both: {@code {"status":"UP","groups":["liveness","readiness"]}}, as the actuator answers. */
    @GetMapping("/actuator/health")
    public ResponseEntity<Map<String, Object>> health() {
        String status = !live() ? "DOWN" : ready() ? UP : "OUT_OF_SERVICE";
        return ResponseEntity.status(UP.equals(status) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("status", status, "groups", List.of("liveness", "readiness")));
    }

    private boolean live() {
        return availability.getLivenessState() == LivenessState.CORRECT;
    }

    private boolean ready() {
        return availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
    }

    private static ResponseEntity<Map<String, String>> answer(String status) {
        return ResponseEntity.status(UP.equals(status) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("status", status));
    }
}
