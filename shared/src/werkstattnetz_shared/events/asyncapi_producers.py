"""Which service publishes which contract, read from the services' own source code.

The contracts do not name their topic, and a hand-kept list would go stale as events are added.
Only the producer ever constructs a contract (consumers validate what arrives with
`parse_event_data`), so we read (never import: no service is a dependency of shared) every module
under `services/<name>/src/` and note which contracts it constructs. A contract constructed by
two services is an error that names it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from werkstattnetz_shared.events.contracts import EVENT_CONTRACTS, EventData

REPOSITORY_ROOT = Path(__file__).resolve().parents[4]
CONTRACT_MODULES = {"werkstattnetz_shared.events", "werkstattnetz_shared.events.contracts"}


class ProducerUnclearError(LookupError):
    """A contract is constructed by more than one service."""


def producers_of_contracts(repository_root: Path = REPOSITORY_ROOT) -> dict[type[EventData], str]:
    """Every registered contract that a service publishes, with that service's name.

    A contract no service constructs yet is left out (it is on no topic); the unit tests insist
    that every contract has its producer, so that state does not last.
    """
    contract_names = {contract.__name__ for contract in EVENT_CONTRACTS.values()}
    found: dict[str, set[str]] = defaultdict(set)
    for service, module in _service_modules(repository_root):
        for name in _contracts_constructed_in(ast.parse(module.read_text()), contract_names):
            found[name].add(service)
    ambiguous = {name: sorted(services) for name, services in found.items() if len(services) > 1}
    if ambiguous:
        raise ProducerUnclearError(
            "a contract is published by exactly one service, but these are constructed by several: "
            + ", ".join(f"{name}: {services}" for name, services in ambiguous.items())
        )
    return {
        contract: next(iter(found[contract.__name__]))
        for contract in EVENT_CONTRACTS.values()
        if found[contract.__name__]
    }


def _service_modules(repository_root: Path) -> Iterable[tuple[str, Path]]:
    services = repository_root / "services"
    if not services.is_dir():
        raise FileNotFoundError(f"no services/ folder under {repository_root}: run from the repository")
    for source in sorted(services.glob("*/src/")):
        for module in sorted(source.rglob("*.py")):
            if "migrations" not in module.parts:
                yield source.parent.name, module


def _contracts_constructed_in(tree: ast.Module, contract_names: set[str]) -> set[str]:
    """Contracts the module calls by name, under whatever local name it imported them as."""
    local_to_contract = {
        alias.asname or alias.name: alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in CONTRACT_MODULES
        for alias in node.names
        if alias.name in contract_names
    }
    return {
        local_to_contract[node.func.id]
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in local_to_contract
    }
