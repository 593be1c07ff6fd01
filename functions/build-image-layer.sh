#!/usr/bin/env bash
# Builds the start-up-optimised layout of one function for its container image:
#
#   OUTDIR/NAME.jar, OUTDIR/lib/   the exec jar extracted (plain class path, no nested jars)
#   OUTDIR/app.aot                 the JDK's AOT cache (JDK 25+; OUTDIR/app.jsa, a CDS archive, on
#                                  JDK 17-24), written by a training run that answers a few events
#   OUTDIR/run                     the launcher: java with the cache and the JVM flags below
#
# The training run starts the function as OUTDIR/run will, with a stand-in Kubernetes API
# (functions/aot-training), waits for readiness, sends the function's training events (the
# answers are checked: a function that cannot answer fails the build), then stops it with SIGTERM;
# the JVM writes the cache as it exits. A last run through OUTDIR/run checks that the cache is
# accepted and prints the time to the first reply.
#
# Run it in the image stage that runs the function, with that stage's java, at OUTDIR's final
# path: the cache is only valid for the same JDK build and the same jar paths and timestamps
# (otherwise the JVM warns and starts without it). It needs nothing else: no network, no cluster,
# no database.
#
# In a Dockerfile (pg-backup; the exec and training jars built with ./mvnw -B -ntp -Paot package
# -DskipTests -pl functions/pg-backup,functions/aot-training -am in an earlier stage "build"):
#
#   FROM eclipse-temurin:25-jre
#   COPY functions/build-image-layer.sh /tmp/layer/
#   COPY --from=build /src/functions/pg-backup/target/pg-backup-exec.jar \
#        /src/functions/aot-training/target/aot-training.jar /tmp/layer/
#   RUN bash /tmp/layer/build-image-layer.sh --jar /tmp/layer/pg-backup-exec.jar \
#         --training-jar /tmp/layer/aot-training.jar pg-backup /app && rm -rf /tmp/layer
#   ENTRYPOINT ["/app/run"]
#
# Usage: functions/build-image-layer.sh [--jar EXEC_JAR] [--training-jar JAR] [--java JAVA] NAME OUTDIR
#   EXEC_JAR      default functions/NAME/target/NAME-exec.jar; built with -Paot it carries Spring
#                 AOT's bean definitions, which the launcher then switches on
#   JAR           default functions/aot-training/target/aot-training.jar
#   JAVA          default $JAVA_HOME/bin/java, else java on PATH
# Environment: STOWAGE_JVM_FLAGS, JVM flags for both the training run and OUTDIR/run (replacing the
# scheduler's -XX:TieredStopAtLevel=1); STOWAGE_SPRING_AOT=false leaves Spring AOT off even when
# the jar has its classes.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"

jar="" training_jar="$here/aot-training/target/aot-training.jar" java=""
while [ $# -gt 2 ]; do
  case "$1" in
    --jar) jar="$2"; shift 2 ;;
    --training-jar) training_jar="$2"; shift 2 ;;
    --java) java="$2"; shift 2 ;;
    *) echo "build-image-layer: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ $# -ne 2 ]; then
  sed -n '/^# Usage/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
name="$1" out="$2"
jar="${jar:-$here/$name/target/$name-exec.jar}"
if [ -z "$java" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; else java="$(command -v java)"; fi
fi
java="$(readlink -f "$java")"
for f in "$jar" "$training_jar"; do
  [ -f "$f" ] || { echo "build-image-layer: $f is missing (./mvnw -Paot package -DskipTests)" >&2; exit 1; }
done

feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
# JVM flags (JAVA_OPTS may add heap and GC settings at run time; the cache accepts those). zstd-jni
# loads its native library, and the cache only works when module flags are the same as in training.
flags="${STOWAGE_JVM_FLAGS-}"
if [ "$feature" -ge 22 ]; then flags="${flags:+$flags }--enable-native-access=ALL-UNNAMED"; fi
# The scheduler only calls the Kubernetes API: C1 alone compiles its start-up code for far less CPU
# (about 1 s of C2 compilation less before the first reply). The others keep C2, whose intrinsics
# make SHA-256 about 10x and AES-CTR about 3x faster than C1 code (backups, restores, prune).
if [ "$name" = scheduler ] && [ -z "${STOWAGE_JVM_FLAGS+set}" ]; then flags="$flags -XX:TieredStopAtLevel=1"; fi
if [ "${STOWAGE_SPRING_AOT:-true}" = false ]; then
  :
elif grep -q '__ApplicationContextInitializer' "$jar"; then
  flags="$flags -Dspring.aot.enabled=true"
else
  echo "build-image-layer: $jar has no Spring AOT classes (build with -Paot); starting without them" >&2
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
rm -rf "$out/lib" "$out/$name.jar" "$out/app.aot" "$out/app.jsa" "$out/run"
"$java" -Djarmode=tools -jar "$jar" extract --force --destination "$out" --application-filename "$name.jar"

if [ "$feature" -ge 25 ]; then
  cache="$out/app.aot"; record="-XX:AOTCacheOutput=$cache"; use="-XX:AOTCache=$cache"
else
  cache="$out/app.jsa"; record="-XX:ArchiveClassesAtExit=$cache"; use="-XX:SharedArchiveFile=$cache"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2086 # flags are words
"$java" -jar "$training_jar" train "$name" "$work" -- "$java" $record $flags -jar "$out/$name.jar"
[ -s "$cache" ] || { echo "build-image-layer: the training run wrote no $cache" >&2; tail -40 "$work/$name-training.log" >&2; exit 1; }

cat > "$out/run" <<EOF
#!/bin/sh
# Starts the $name function with the AOT cache its image build trained (functions/build-image-layer.sh,
# Java $feature). JAVA_OPTS are added to the JVM options, arguments go to the application.
exec $java $use${flags:+ $flags} \${JAVA_OPTS:-} -jar $out/$name.jar "\$@"
EOF
chmod 755 "$out/run"

"$java" -jar "$training_jar" time "$name" "$work" -- "$out/run"
if grep -E '\[(error|warning) *\]\[(aot|cds)' "$work/$name-time.log" >&2; then
  echo "build-image-layer: the JVM did not accept $cache" >&2
  exit 1
fi
echo "build-image-layer: $out/run ($(du -sh "$cache" | cut -f1) cache)"
