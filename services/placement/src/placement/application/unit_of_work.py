"""placement's unit of work: workshops, seats and offers, participants, spells, read models and the
outbox in one transaction."""

import asyncpg

from placement.adapters.attendance_read_models import AttendanceReadModels
from placement.adapters.attendance_repository import AttendanceRepository
from placement.adapters.historical_stay_repository import HistoricalStayRepository
from placement.adapters.offer_repository import OfferRepository
from placement.adapters.participant_repository import ParticipantRepository
from placement.adapters.read_models import PlacementReadModels
from placement.adapters.seat_repository import SeatRepository
from placement.adapters.spell_repository import SpellRepository
from placement.adapters.workshop_repository import WorkshopRepository
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.messaging.topics import PLACEMENT_EVENTS
from werkstattnetz_shared.settings import ServiceSettings

CONSUMER_NAME = "placement"


class PlacementUnitOfWork(PostgresUnitOfWork):
    workshops: WorkshopRepository
    participants: ParticipantRepository
    seats: SeatRepository
    offers: OfferRepository
    spells: SpellRepository
    read_models: PlacementReadModels
    attendance: AttendanceRepository
    attendance_views: AttendanceReadModels
    historical_stays: HistoricalStayRepository

    def __init__(self, pool: asyncpg.Pool, settings: ServiceSettings) -> None:
        super().__init__(pool, outbox_topic=settings.topic(PLACEMENT_EVENTS), consumer_name=CONSUMER_NAME)

    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        self.workshops = WorkshopRepository(connection)
        self.participants = ParticipantRepository(connection)
        self.seats = SeatRepository(connection)
        self.offers = OfferRepository(connection)
        self.spells = SpellRepository(connection)
        self.read_models = PlacementReadModels(connection)
        self.attendance = AttendanceRepository(connection)
        self.attendance_views = AttendanceReadModels(connection)
        self.historical_stays = HistoricalStayRepository(connection)
