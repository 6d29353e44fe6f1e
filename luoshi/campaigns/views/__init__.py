"""Pages of 督查活动. Thin views: mark → access helper (luoshi.access.campaigns) → form →
service → redirect with a message; a service's ValidationError goes back on the form."""
