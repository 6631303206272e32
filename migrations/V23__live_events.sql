-- Live floor events (docs/live.md §1).
--
-- A write that changes what another station shows announces itself, when its transaction commits, with
-- one NOTIFY on the channel `cleanstation_live`. The payload is a hint to re-read, never the content:
--
--   {"v":1, "st": station, "u": acting user id, "ev": [[entity, id, op, ref], ...], "more": bool}
--
-- entity names what changed ("build", "task", "qc", ...), id its row (or the parent record a child row
-- belongs to), op I/U/D, ref the build it belongs to (for a notification: its recipient). A transaction
-- that touches more than 60 distinct entities sends none of them and "more": true instead, which tells
-- every station to re-read what it shows; so a payload stays far below PostgreSQL's 8000 bytes.
--
-- Two triggers per table: statement-level ones gather the events into a transaction-local setting (a
-- rolled-back subtransaction takes its events with it), and a deferred constraint trigger sends them
-- once, at commit. NOTIFY itself is delivered only on commit, so nothing is announced that did not
-- commit; and a transaction that touches no watched table never notifies (a notifying commit takes a
-- cluster-wide lock).

CREATE OR REPLACE FUNCTION live_collect()
RETURNS TRIGGER
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_entity text := TG_ARGV[0];
    -- The column naming the entity's id, and the one naming its build or recipient (or, with a
    -- parent table, the parent's id, whose "orderId" is the build).
    v_id     text := TG_ARGV[1];
    v_ref    text := NULLIF(TG_ARGV[2], '');
    v_parent text := NULLIF(TG_ARGV[3], '');
    v_op     text := CASE TG_OP WHEN 'INSERT' THEN 'I' WHEN 'UPDATE' THEN 'U' ELSE 'D' END;
    v_new    jsonb;
    v_held   jsonb;
BEGIN
    IF current_setting('cleanstation.live_more', true) = '1' THEN
        RETURN NULL;
    END IF;
    -- 61 rows are enough to know the limit is passed.
    EXECUTE format(
        'SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_array($1, x.j->>%L, $2, %s)), ''[]'') '
        'FROM (SELECT to_jsonb(r) AS j FROM %I r LIMIT 61) x %s',
        v_id,
        CASE WHEN v_parent IS NOT NULL THEN 'p."orderId"'
             WHEN v_ref IS NOT NULL THEN format('x.j->>%L', v_ref)
             ELSE 'NULL' END,
        CASE TG_OP WHEN 'DELETE' THEN 'old_rows' ELSE 'new_rows' END,
        CASE WHEN v_parent IS NOT NULL
             THEN format('LEFT JOIN %I p ON p.id = (x.j->>%L)::uuid', v_parent, v_ref)
             ELSE '' END)
    INTO v_new USING v_entity, v_op;

    v_held := COALESCE(NULLIF(current_setting('cleanstation.live_events', true), '')::jsonb, '[]'::jsonb);
    SELECT COALESCE(jsonb_agg(DISTINCT e), '[]'::jsonb) INTO v_held
      FROM jsonb_array_elements(v_held || v_new) e;
    IF jsonb_array_length(v_held) > 60 THEN
        PERFORM set_config('cleanstation.live_more', '1', true);
        PERFORM set_config('cleanstation.live_events', '', true);
    ELSE
        PERFORM set_config('cleanstation.live_events', v_held::text, true);
    END IF;
    RETURN NULL;
END;
$$;

-- Fires at commit for every watched row; the first call sends the one NOTIFY, the rest return at once.
-- SECURITY DEFINER: the acting user comes from the session the transaction proves (audit_actor).
CREATE OR REPLACE FUNCTION live_publish()
RETURNS TRIGGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_user uuid;
BEGIN
    IF current_setting('cleanstation.live_sent', true) = '1' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('cleanstation.live_sent', '1', true);
    SELECT a.user_id INTO v_user FROM audit_actor() a;
    PERFORM pg_notify('cleanstation_live', jsonb_build_object(
        'v', 1,
        'st', left(NULLIF(current_setting('cleanstation.station', true), ''), 64),
        'u', v_user,
        'ev', COALESCE(NULLIF(current_setting('cleanstation.live_events', true), '')::jsonb,
                       '[]'::jsonb),
        'more', COALESCE(current_setting('cleanstation.live_more', true), '') = '1')::text);
    RETURN NULL;
END;
$$;

-- Watches one table: its changes are announced as `p_entity` events (docs/live.md §1.2).
CREATE OR REPLACE FUNCTION live_watch(p_table text, p_entity text, p_id text, p_ref text, p_parent text)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_args text := format('%L, %L, %L, %L', p_entity, p_id, COALESCE(p_ref, ''), COALESCE(p_parent, ''));
BEGIN
    EXECUTE format('CREATE TRIGGER live_insert AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION live_collect(%s)', p_table, v_args);
    EXECUTE format('CREATE TRIGGER live_update AFTER UPDATE ON %I '
                   'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION live_collect(%s)', p_table, v_args);
    EXECUTE format('CREATE TRIGGER live_delete AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION live_collect(%s)', p_table, v_args);
    EXECUTE format('CREATE CONSTRAINT TRIGGER live_publish AFTER INSERT OR UPDATE OR DELETE ON %I '
                   'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION live_publish()', p_table);
END;
$$;

SELECT live_watch('ProductionOrder', 'build', 'id', 'id', NULL);
SELECT live_watch('TaskList', 'tasks', 'id', 'orderId', NULL);
SELECT live_watch('Task', 'task', 'id', 'taskListId', 'TaskList');
SELECT live_watch('BillOfMaterials', 'bom', 'id', 'orderId', NULL);
SELECT live_watch('QCResult', 'qc', 'id', 'orderId', NULL);
SELECT live_watch('QCItemResult', 'qc', 'qcResultId', 'qcResultId', 'QCResult');
SELECT live_watch('TestingForm', 'testing', 'id', 'orderId', NULL);
SELECT live_watch('TestResult', 'testing', 'testingFormId', 'testingFormId', 'TestingForm');
SELECT live_watch('PackagingChecklist', 'packaging', 'id', 'orderId', NULL);
SELECT live_watch('PackagingItem', 'packaging', 'packagingChecklistId', 'packagingChecklistId',
                  'PackagingChecklist');
SELECT live_watch('Nonconformance', 'nc', 'id', 'orderId', NULL);
SELECT live_watch('OrderDocument', 'document', 'documentId', 'orderId', NULL);
SELECT live_watch('ServiceOrder', 'service_order', 'id', NULL, NULL);
SELECT live_watch('ServiceOrderItem', 'service_order', 'serviceOrderId', NULL, NULL);
SELECT live_watch('SystemNotification', 'notification', 'id', 'userId', NULL);
