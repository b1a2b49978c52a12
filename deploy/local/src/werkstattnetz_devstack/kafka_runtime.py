"""Fetches the Kafka broker's runtime classpath from Maven Central into the project cache.

Kafka's own release archives live on project mirrors we cannot reach; the `kafka_2.13` artifact's
POM, however, names every jar the broker needs, so Maven can assemble the same `libs/` folder.
"""

import fcntl
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_KAFKA_VERSION = "4.1.1"

# Kafka 4.x logs through SLF4J 1.x to Log4j 2, but its POM names no SLF4J binding (and 4.0 not
# even Log4j's core); without them the broker logs nothing. Declared directly, these versions win.
LOG4J2_BACKEND = (
    ("org.apache.logging.log4j", "log4j-slf4j-impl", "2.24.3"),
    ("org.apache.logging.log4j", "log4j-core", "2.24.3"),
)
# Kafka 3.9 brings no logging backend at all; these are the ones its distribution uses.
RELOAD4J_BACKEND = (
    ("org.slf4j", "slf4j-reload4j", "1.7.36"),
    ("ch.qos.reload4j", "reload4j", "1.2.25"),
)


def kafka_major_version(version: str) -> int:
    """The major version number, which decides the logging backend and a few settings."""
    return int(version.split(".", 1)[0])


def libs_folder(cache: Path, version: str) -> Path:
    """Where the jars of one Kafka version live inside the cache."""
    return cache / f"kafka-{version}" / "libs"


def runtime_is_complete(libs: Path, version: str) -> bool:
    """Whether an earlier download finished: the marker is written only after Maven succeeded."""
    return (libs.parent / "download-complete").exists() and any(
        libs.glob(f"kafka_2.13-{version}.jar")
    )


def ensure_kafka_runtime(cache: Path, version: str = DEFAULT_KAFKA_VERSION) -> Path:
    """Return the `libs` folder for `version`, downloading it with Maven when it is missing."""
    libs = libs_folder(cache, version)
    if runtime_is_complete(libs, version):
        return libs
    cache.mkdir(parents=True, exist_ok=True)
    # Two test sessions may start at once on a fresh machine: one downloads, the other waits.
    with (cache / f"kafka-{version}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not runtime_is_complete(libs, version):
            download_kafka_runtime(libs, version)
    return libs


def download_kafka_runtime(libs: Path, version: str) -> None:
    """Let Maven resolve the broker's runtime classpath and copy it into `libs`."""
    if shutil.which("mvn") is None:
        raise RuntimeError("Maven (`mvn`) is needed once to download Kafka; install it first")
    print(f"[devstack] downloading Kafka {version} from Maven Central into {libs} ...", flush=True)
    started = time.monotonic()
    # A half-filled folder from an interrupted run could mix versions: start clean.
    shutil.rmtree(libs.parent, ignore_errors=True)
    libs.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="kafka-pom-") as scratch:
        pom = Path(scratch) / "pom.xml"
        pom.write_text(runtime_pom(version), encoding="utf-8")
        run_maven(pom, libs)
    (libs.parent / "download-complete").write_text(version + "\n", encoding="utf-8")
    jar_count = len(list(libs.glob("*.jar")))
    took = time.monotonic() - started
    print(f"[devstack] Kafka {version}: {jar_count} jars in {took:.0f}s", flush=True)


def run_maven(pom: Path, libs: Path) -> None:
    """Copy the runtime dependencies of `pom` into `libs`, showing Maven's output on failure."""
    command = [
        "mvn",
        "-q",
        "-B",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={libs}",
    ]
    output = pom.with_name("maven-output.log")
    started = time.monotonic()
    with output.open("wb") as log:
        maven = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        # Maven stays silent with -q; a line now and then shows the download is not stuck.
        while True:
            try:
                maven.wait(timeout=15)
                break
            except subprocess.TimeoutExpired:
                waited = time.monotonic() - started
                print(f"[devstack] ... still downloading Kafka ({waited:.0f}s)", flush=True)
    if maven.returncode != 0:
        sys.stderr.write(output.read_text(encoding="utf-8", errors="replace"))
        raise RuntimeError(f"Maven could not fetch Kafka (exit {maven.returncode}): {command}")


def runtime_pom(version: str) -> str:
    """A `pom`-packaging POM whose only purpose is to declare the broker and its log backend."""
    dependencies = [dependency_xml("org.apache.kafka", "kafka_2.13", version)]
    backend = LOG4J2_BACKEND if kafka_major_version(version) >= 4 else RELOAD4J_BACKEND
    dependencies += [dependency_xml(*coordinates) for coordinates in backend]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.werkstattnetz</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
{"".join(dependencies)}  </dependencies>
</project>
"""


def dependency_xml(group: str, artifact: str, version: str) -> str:
    """One `<dependency>` element."""
    return (
        "    <dependency>\n"
        f"      <groupId>{group}</groupId>\n"
        f"      <artifactId>{artifact}</artifactId>\n"
        f"      <version>{version}</version>\n"
        "    </dependency>\n"
    )
