package dev.stowage.engine.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/** JSON encoding of event data records; decoding errors name the offending field. */
public final class EventData {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventData() {
    }

    /** Decodes the data of {@code event} as {@code type}; empty or malformed data is an {@link InvalidEventException}. */
    public static <T> T read(CloudEvent event, Class<T> type) {
        String contentType = event.dataContentType();
        if (contentType != null && !contentType.startsWith("application/json") && !contentType.endsWith("+json")
                && !contentType.startsWith("text/json")) {
            throw new InvalidEventException("event data must be JSON, not " + contentType);
        }
        if (event.data().length == 0) {
            throw new InvalidEventException("event " + event.type() + " has no data");
        }
        try {
            T value = MAPPER.readValue(event.data(), type);
            if (value == null) {
                throw new InvalidEventException("event " + event.type() + " has null data");
            }
            return value;
        } catch (InvalidEventException e) {
            throw e;
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidEventException invalid) {
                throw new InvalidEventException(invalid.getMessage()
                        + (e.getPath().isEmpty() ? "" : " (at \"" + path(e) + "\")"), invalid);
            }
            if (e instanceof UnrecognizedPropertyException) {
                throw new InvalidEventException("unknown field \"" + path(e) + "\" in event data", e);
            }
            if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
                throw new InvalidEventException("field \"" + path(e) + "\" must be "
                        + describe(m.getTargetType()), e);
            }
            throw new InvalidEventException("invalid event data at \"" + path(e) + "\": " + e.getOriginalMessage(), e);
        } catch (JacksonException e) {
            throw new InvalidEventException("event data is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes a data record as JSON. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request names a session, or carries the inline repository and database: exactly one of the two. */
    static void requireOneStyle(SessionRef session, RepositoryAddress repository, PostgresTarget postgres) {
        if (session != null && (repository != null || postgres != null)) {
            throw new InvalidEventException("give either \"session\" or the inline \"repository\" and \"postgres\", not both");
        }
        if (session == null && (repository == null || postgres == null)) {
            throw new InvalidEventException("field \"" + (repository == null ? "repository" : "postgres")
                    + "\" is missing: an inline request needs \"repository\" and \"postgres\" (or give \"session\")");
        }
    }

    static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException("field \"" + field + "\" is missing");
        }
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
