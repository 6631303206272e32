-- The assemblers' report finds, for each task list of a period, the list's last completion before the
-- period (docs/reports.md §3.7, §7.1): completed tasks by list and time, read backwards from the index.

CREATE INDEX idx_task_list_completed ON "Task" ("taskListId", "completedAt") WHERE "isCompleted";
