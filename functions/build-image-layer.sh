#!/usr/bin/env bash
# Builds the start-up-optimised layout of one function for its container image:
#
#   OUTDIR/NAME.jar, OUTDIR/lib/   the exec jar extracted (plain class path, no nested jars), signed
#                                  jars in lib/ unsigned (BouncyCastle: see build-tools' UnsignedJars)
#   OUTDIR/c2-directives.json      which code C2 may compile (not for the scheduler; see below)
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
#        /src/functions/aot-training/target/aot-training.jar /src/build-tools/target/build-tools.jar /tmp/layer/
#   RUN bash /tmp/layer/build-image-layer.sh --jar /tmp/layer/pg-backup-exec.jar \
#         --training-jar /tmp/layer/aot-training.jar --tools-jar /tmp/layer/build-tools.jar pg-backup /app \
#       && rm -rf /tmp/layer
#   ENTRYPOINT ["/app/run"]
#
# Usage: functions/build-image-layer.sh [--jar EXEC_JAR] [--training-jar JAR] [--tools-jar TOOLS_JAR]
#                                       [--java JAVA] NAME OUTDIR
#   EXEC_JAR      default functions/NAME/target/NAME-exec.jar; built with -Paot it carries Spring
#                 AOT's bean definitions, which the launcher then switches on
#   JAR           default functions/aot-training/target/aot-training.jar
#   TOOLS_JAR     default build-tools/target/build-tools.jar
#   JAVA          default $JAVA_HOME/bin/java, else java on PATH
# Environment: STOWAGE_JVM_FLAGS, JVM flags for both the training run and OUTDIR/run (replacing the
# GC and compilation flags below: SerialGC, the scheduler's -XX:TieredStopAtLevel=1, the others'
# C2 directives);
# STOWAGE_SPRING_AOT=false leaves Spring AOT off even when the jar has its classes.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"

jar="" training_jar="$here/aot-training/target/aot-training.jar" tools_jar="$here/../build-tools/target/build-tools.jar" java=""
while [ $# -gt 2 ]; do
  case "$1" in
    --jar) jar="$2"; shift 2 ;;
    --training-jar) training_jar="$2"; shift 2 ;;
    --tools-jar) tools_jar="$2"; shift 2 ;;
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
for f in "$jar" "$training_jar" "$tools_jar"; do
  [ -f "$f" ] || { echo "build-image-layer: $f is missing (./mvnw -Paot package -DskipTests)" >&2; exit 1; }
done

mkdir -p "$out"
out="$(cd "$out" && pwd)"
feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
# JVM flags (JAVA_OPTS may add heap and GC settings at run time; the cache accepts those). zstd-jni
# loads its native library, and the cache only works when module flags are the same as in training.
flags="${STOWAGE_JVM_FLAGS-}"
if [ "$feature" -ge 22 ]; then flags="${flags:+$flags }--enable-native-access=ALL-UNNAMED"; fi
# Compilation. At start-up C2 spends about as much CPU as the main thread, compiling whatever the
# start-up made hot (Spring, class loading, manifests, properties, String and collection code);
# with two CPUs that decides the time to the first reply. The scheduler only calls the Kubernetes
# API: C1 alone compiles its code (-XX:TieredStopAtLevel=1). The others need C2 for their data
# path (its intrinsics make SHA-256 about 10x and AES-CTR about 3x faster than C1 code), so a
# compiler directive file (JEP 165; a diagnostic flag) lets C2 compile only the packages that do
# the data work, and leaves all other code to C1 (a method C2 may not compile ends at C1's level
# 1). C2 still inlines other methods (JDK collections, String) into the methods it compiles.
# bench/README.md ("Cold start") has the figures.
#
# Garbage collector: SerialGC. A function handles one event at a time in a pod of at most 2 CPUs
# and 1 GiB (knative/base), where the JVM would pick SerialGC by itself (below 1792 MB); saying so
# makes the training run, the benchmark on a larger machine and the pod start the same way, and
# starts about 40 ms sooner than G1.
directives=""
if [ -z "${STOWAGE_JVM_FLAGS+set}" ]; then
  flags="$flags -XX:+UseSerialGC"
  if [ "$name" = scheduler ]; then
    flags="$flags -XX:TieredStopAtLevel=1"
  else
    directives=1
    flags="$flags -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$out/c2-directives.json"
  fi
fi
if [ "${STOWAGE_SPRING_AOT:-true}" = false ]; then
  :
elif grep -q '__ApplicationContextInitializer' "$jar"; then
  flags="$flags -Dspring.aot.enabled=true"
else
  echo "build-image-layer: $jar has no Spring AOT classes (build with -Paot); starting without them" >&2
fi

rm -rf "$out/lib" "$out/$name.jar" "$out/app.aot" "$out/app.jsa" "$out/c2-directives.json" "$out/run"
"$java" -Djarmode=tools -jar "$jar" extract --force --destination "$out" --application-filename "$name.jar"
# Classes of signed jars stay out of the AOT cache, and the JVM checks such a jar's signature and
# digests what it reads from it at every start.
"$java" -cp "$tools_jar" dev.stowage.build.UnsignedJars "$out/lib"
if [ -n "$directives" ]; then
  # First match wins: the data path may be compiled by C2, nothing else. Patterns are
  # package/Class.method, with * at either end of each part.
  cat > "$out/c2-directives.json" <<'JSON'
[
  {
    match: [
      "dev/stowage/*.*",
      "java/security/*.*", "javax/crypto/*.*", "sun/security/*.*", "com/sun/crypto/*.*",
      "org/bouncycastle/*.*", "com/github/luben/*.*", "com/fasterxml/jackson/core/*.*",
      "java/io/*.*", "java/nio/*.*", "sun/nio/*.*",
      "java/util/zip/CRC32*.*", "java/util/zip/Adler32.*", "java/util/HexFormat*.*", "java/util/Base64*.*",
      "software/amazon/awssdk/*.*", "org/apache/http/*.*", "com/google/*.*"
    ],
    c2: { Exclude: false }
  },
  {
    match: "*.*",
    c2: { Exclude: true }
  }
]
JSON
fi

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
