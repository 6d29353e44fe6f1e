"""Forms for the pages that change tasks: sources, a task's fields, the decomposition grid and
the steps of the loop (交办, 签收, 申请办结, 审核, 暂缓/撤销)."""
