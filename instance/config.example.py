# Copy to instance/config.py. Environment variables AWARENESS_<NAME> override these.

# Base URL written into invitation links.
BASE_URL = "https://survey.example.org"

# Leave SECRET_KEY unset to have one generated into the instance folder.
# SECRET_KEY = "..."

# The title block of reports (`awareness report --organisation/--author` override them).
# REPORT_ORGANISATION = "Ministry of Labour and Vocational Training"
# REPORT_AUTHOR = "Department of Employment and Manpower"

# A console login ends after this many minutes without a request, and this many hours after it began.
# CONSOLE_IDLE_TIMEOUT_MINUTES = 30
# CONSOLE_SESSION_LIFETIME_HOURS = 12

# An e-mail's opt-out link stops working this many days after its wave closes.
# OPTOUT_DAYS_AFTER_CLOSE = 90
