"""FastAPI app factory and routes (Twilio webhooks, health)."""
