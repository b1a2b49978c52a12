"""Ports on the loopback interface: is one free, does one answer, which ones can we take."""

import socket


class PortTakenError(RuntimeError):
    """A port we want to listen on already belongs to some other process."""


def port_accepts_connections(host: str, port: int, timeout: float = 0.5) -> bool:
    """Whether something listens on host:port right now."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def ensure_port_is_free(host: str, port: int, component: str, variable: str | None = None) -> None:
    """Fail with a message a person can act on when `port` is already in use."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # Without SO_REUSEADDR a port in TIME_WAIT from our own last run would count as taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            hint = f" or choose another port with {variable}=<port>" if variable else ""
            raise PortTakenError(
                f"{component} wants {host}:{port}, but another process already listens there. "
                f"Find it with `ss -ltnp 'sport = :{port}'` and stop it{hint}."
            ) from None


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether we could listen on `port` now (nothing else holds it)."""
    try:
        ensure_port_is_free(host, port, "probe")
    except PortTakenError:
        return False
    return True


def find_free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """`count` different ports nobody listens on right now (the kernel picks them).

    All probes stay open until every port is chosen, so the kernel cannot hand out one twice.
    """
    probes = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(count)]
    try:
        for probe in probes:
            probe.bind((host, 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()
