app_name = "findings"

# Results, moderation grades, exports, trend, board dashboard (findings/views/results.py).
results_urls: list = []

# Findings, actions, action tracker, sub-groups, engagement, quotes, resources
# (findings/views/findings.py).
findings_urls: list = []

urlpatterns = results_urls + findings_urls
