# Sourced by the tools' scripts: Maven needs a JDK 25 or newer (the default java may be older). Keeps JAVA_HOME if
# it is one, else exports the first such JDK under /usr/lib/jvm.
if ! "${JAVA_HOME:-/nonexistent}/bin/javac" -version 2>&1 | grep -qE 'javac (2[5-9]|[3-9][0-9])'; then
  for d in /usr/lib/jvm/*; do
    if "$d/bin/javac" -version 2>&1 | grep -qE 'javac (2[5-9]|[3-9][0-9])'; then export JAVA_HOME="$d"; break; fi
  done
fi
