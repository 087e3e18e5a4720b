#!/usr/bin/env bash
# JMH benchmark of the quota reorderers (500 hits, 100 shops): integration-test/jmh.sh [JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${FR_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JAVA_HOME/bin/java ]] || { echo "jmh.sh: ERROR: no JDK at $JAVA_HOME (set FR_JAVA_HOME)" >&2; exit 1; }
export PATH=$JAVA_HOME/bin:$PATH
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# the class path goes through CLASSPATH, never a long -cp (ONNX Runtime's native init crashes on long command lines)
CLASSPATH="target/test-classes:target/classes:$(cat target/test-classpath.txt)" exec java org.openjdk.jmh.Main ReorderBenchmark "$@"
