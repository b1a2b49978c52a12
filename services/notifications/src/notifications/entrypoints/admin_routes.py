"""The admin API of notifications: the staff directory, the notification rules and the webhook
subscriptions (admins change them, managers read the directory and the rules), and each staff
member's own notification settings under /v1/me."""

from fastapi import APIRouter

from notifications.entrypoints import rule_routes, staff_routes, webhook_routes

admin_router = APIRouter()
admin_router.include_router(staff_routes.router)
admin_router.include_router(rule_routes.router)
admin_router.include_router(webhook_routes.router)
