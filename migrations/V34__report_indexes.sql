-- Indexes for the production reports (docs/reports.md §7).
--
-- Not in the customer's schema: each report reads one period of the records, so the records are found by
-- their time, and the columns a report reads are carried in the index (INCLUDE) so that the rows of a
-- period are read from the index alone: status moves by new status and time (shipments) and by time
-- (stages), a build's moves in order (the stage before a period), completed tasks and testing forms by
-- time.

CREATE INDEX idx_history_status_time ON "OrderStatusHistory" ("newStatus", "timestamp")
    INCLUDE ("orderId", "oldStatus");
CREATE INDEX idx_history_time_moves ON "OrderStatusHistory" ("timestamp")
    INCLUDE ("orderId", "newStatus", "oldStatus");
CREATE INDEX idx_history_order_time ON "OrderStatusHistory" ("orderId", "timestamp")
    INCLUDE ("newStatus", "oldStatus");
CREATE INDEX idx_task_completed_at ON "Task" ("completedAt")
    INCLUDE (id, "taskListId", "completedBy", "estimatedTime", "sequenceOrder")
    WHERE "isCompleted";
CREATE INDEX idx_testing_form_timestamp ON "TestingForm" ("timestamp");
