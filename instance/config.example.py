# Copy to instance/config.py. Environment variables AWARENESS_<NAME> override these.

# Base URL written into invitation links.
BASE_URL = "https://survey.example.org"

# Leave SECRET_KEY unset to have one generated into the instance folder.
# SECRET_KEY = "..."

# The title block of reports (`awareness report --organisation/--author` override them).
# REPORT_ORGANISATION = "Ministry of Labour and Vocational Training"
# REPORT_AUTHOR = "Department of Employment and Manpower"
