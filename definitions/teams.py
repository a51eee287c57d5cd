"""SARK's teams: who owns an alert, and so which receiver it reaches."""

PLATFORM = "platform"  # the gateway, policy and API on-call
SECURITY = "security"
INFRASTRUCTURE = "infrastructure"
BUSINESS = "business"
COMPLIANCE = "compliance"

ALL = (PLATFORM, SECURITY, INFRASTRUCTURE, BUSINESS, COMPLIANCE)
