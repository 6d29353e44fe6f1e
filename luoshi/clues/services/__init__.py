"""Clue services: every change to clues goes through these functions.

submission  clue_submit (the public form), the office's notification
triage      clue_accept_as_task, clue_accept_to_inspection, clue_merge, clue_reject,
            clue_reply
categories  category_create, category_set_active
"""
