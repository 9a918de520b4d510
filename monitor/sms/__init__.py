"""The SMS seam: sender protocol, local and Twilio senders, message rendering."""
