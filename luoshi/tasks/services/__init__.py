"""Task services: every change to sources and tasks goes through these functions.

    sources    source_create
    editing    task_create, task_update, tasks_create_children, milestone_complete
    lifecycle  task_assign, assignment_acknowledge, closure_request, closure_verify,
               closure_return, task_suspend, task_resume, task_cancel
    refresh    task_refresh, lights_refresh_all (the daily tick)
    history    task_event_record
Progress reports (填报) are in luoshi.reports.services.
"""
