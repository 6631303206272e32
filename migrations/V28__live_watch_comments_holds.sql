-- Live floor events for comments and holds (docs/live.md §1.2): a comment posted, edited or resolved,
-- and a hold placed or released, are announced like every other change a station shows.

SELECT live_watch('BuildComment', 'comment', 'id', 'orderId', NULL);
SELECT live_watch('BuildHold', 'hold', 'id', 'orderId', NULL);
