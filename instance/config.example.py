# Copy to instance/config.py. Environment variables AWARENESS_<NAME> override these.

# Base URL written into invitation links.
BASE_URL = "https://survey.example.org"

# Leave SECRET_KEY unset to have one generated into the instance folder.
# SECRET_KEY = "..."
