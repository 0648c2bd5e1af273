// Change tracking of the ops rollups in C (core/track_set.hpp): ops_track_row, a BEFORE
// ... FOR EACH ROW trigger, records the UTC hour of each row it sees (old and new for an
// UPDATE) in a backend-local set that lives for the transaction; ops_track_flush, an AFTER
// ... FOR EACH STATEMENT trigger (SECURITY DEFINER), writes the pending hours of its table
// to ops_change_log with one INSERT. No transition tables are captured.
//
// Bodies hold only plain locals and PostgreSQL memory (see pg/boundary.hpp); the set is
// plain data in a memory context under TopTransactionContext, forgotten when that context
// goes (its reset callback), so each transaction starts with an empty set.
#include <cstddef>
#include <cstdint>

#include "core/track_set.hpp"
#include "pg/boundary.hpp"

namespace tr = opsagg::track;

static_assert(sizeof(TimestampTz) == sizeof(tr::Micros), "timestamptz is int64 microseconds");
static_assert(TopSubTransactionId == tr::kTopLevel, "the core's top-level id is PostgreSQL's");
static_assert(InvalidSubTransactionId == tr::kPending, "pending is no subtransaction");

namespace {

// The set of the current transaction, or null before its first recorded row.
tr::Set* current_set = nullptr;
MemoryContext current_set_context = nullptr;
bool subxact_callback_registered = false;

constexpr std::size_t kInitialSlots = 64;

// Per trigger call site (FmgrInfo of one relation in one statement): the time column's
// attribute number and the watched table the relation's rows count for.
struct RowCache {
    Oid relid;
    AttrNumber attnum;
    Oid watched;
};

// The change-tracking row trigger on a partition is a clone of the one on the watched
// (partitioned) table: follow pg_trigger.tgparentid up to the original.
Oid watched_table_of(const Trigger* trigger, Oid relid) {
    if (!trigger->tgisclone)
        return relid;
    Oid trigger_oid = trigger->tgoid;
    Oid table = relid;
    Relation triggers = table_open(TriggerRelationId, AccessShareLock);
    for (int depth = 0; depth < 1000; ++depth) {
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_trigger_oid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(trigger_oid));
        SysScanDesc scan = systable_beginscan(triggers, TriggerOidIndexId, true, nullptr, 1, &key);
        HeapTuple tuple = systable_getnext(scan);
        if (!HeapTupleIsValid(tuple))
            elog(ERROR, "opsagg: trigger %u not found", trigger_oid);
        Form_pg_trigger form = reinterpret_cast<Form_pg_trigger>(GETSTRUCT(tuple));
        table = form->tgrelid;
        Oid parent = form->tgparentid;
        systable_endscan(scan);
        if (!OidIsValid(parent))
            break;
        trigger_oid = parent;
    }
    table_close(triggers, AccessShareLock);
    return table;
}

RowCache* row_cache(FunctionCallInfo fcinfo, TriggerData* data) {
    Relation rel = data->tg_relation;
    auto* cache = static_cast<RowCache*>(fcinfo->flinfo->fn_extra);
    if (cache != nullptr && cache->relid == RelationGetRelid(rel))
        return cache;
    const Trigger* trigger = data->tg_trigger;
    if (trigger->tgnargs != 1) {
        ereport(ERROR, (errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
                        errmsg("ops_track_row takes one argument: the time column")));
    }
    const char* column = trigger->tgargs[0];
    TupleDesc desc = RelationGetDescr(rel);
    AttrNumber attnum = InvalidAttrNumber;
    for (int i = 0; i < desc->natts; ++i) {
        Form_pg_attribute attr = TupleDescAttr(desc, i);
        if (!attr->attisdropped && strcmp(NameStr(attr->attname), column) == 0) {
            if (attr->atttypid != TIMESTAMPTZOID) {
                ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                                errmsg("column \"%s\" of %s watched by opsagg is not timestamptz",
                                       column, RelationGetRelationName(rel))));
            }
            attnum = attr->attnum;
            break;
        }
    }
    if (attnum == InvalidAttrNumber) {
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("%s has no column \"%s\" watched by opsagg",
                               RelationGetRelationName(rel), column)));
    }
    Oid watched = watched_table_of(trigger, RelationGetRelid(rel));
    if (cache == nullptr)
        cache = static_cast<RowCache*>(MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(RowCache)));
    cache->relid = RelationGetRelid(rel);
    cache->attnum = attnum;
    cache->watched = watched;
    fcinfo->flinfo->fn_extra = cache;
    return cache;
}

extern "C" void forget_set(void*) {
    current_set = nullptr;
    current_set_context = nullptr;
}

extern "C" void track_subxact_callback(SubXactEvent event, SubTransactionId subxact,
                                       SubTransactionId parent, void*) {
    if (current_set == nullptr || current_set->in_subxact == 0)
        return;
    if (event == SUBXACT_EVENT_COMMIT_SUB)
        tr::subxact_commit(current_set, subxact, parent);
    else if (event == SUBXACT_EVENT_ABORT_SUB)
        tr::subxact_abort(current_set, subxact);
}

tr::Set* set_of_transaction() {
    if (current_set != nullptr)
        return current_set;
    if (!subxact_callback_registered) {
        RegisterSubXactCallback(track_subxact_callback, nullptr);
        subxact_callback_registered = true;
    }
    MemoryContext context =
        AllocSetContextCreate(TopTransactionContext, "opsagg change tracking", ALLOCSET_SMALL_SIZES);
    auto* callback =
        static_cast<MemoryContextCallback*>(MemoryContextAlloc(context, sizeof(MemoryContextCallback)));
    auto* set = static_cast<tr::Set*>(MemoryContextAlloc(context, sizeof(tr::Set)));
    auto* slots = static_cast<tr::Slot*>(MemoryContextAlloc(context, kInitialSlots * sizeof(tr::Slot)));
    tr::init(set, slots, kInitialSlots);
    callback->func = forget_set;
    callback->arg = nullptr;
    MemoryContextRegisterResetCallback(context, callback);
    current_set_context = context;
    current_set = set;
    return set;
}

void record_slot(TupleTableSlot* slot, const RowCache* cache) {
    bool isnull = false;
    Datum value = slot_getattr(slot, cache->attnum, &isnull);
    tr::Micros hour = 0;
    if (isnull || !tr::hour_of(DatumGetTimestampTz(value), &hour))
        return;
    tr::Set* set = set_of_transaction();
    if (tr::needs_growth(*set)) {
        std::size_t capacity = set->capacity * 2;
        auto* slots = static_cast<tr::Slot*>(MemoryContextAllocHuge(current_set_context,
                                                                    capacity * sizeof(tr::Slot)));
        tr::Set grown;
        tr::init(&grown, slots, capacity);
        tr::rehash(*set, &grown);
        pfree(set->slots);
        *set = grown;
    }
    tr::record(set, cache->watched, hour);
}

TriggerData* trigger_data(FunctionCallInfo fcinfo, const char* name) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("%s: not called by trigger manager", name)));
    }
    return reinterpret_cast<TriggerData*>(fcinfo->context);
}

// The kept INSERT into ops_change_log, prepared for the schema of the calling function
// (the extension's); prepared again if the extension was re-created or its schema renamed
// (the plan names the schema: a replan after invalidation parses the text again).
SPIPlanPtr log_plan = nullptr;
Oid log_plan_function = InvalidOid;
NameData log_plan_schema;

SPIPlanPtr change_log_insert(Oid function) {
    char* schema = get_namespace_name(get_func_namespace(function));
    if (schema == nullptr)
        elog(ERROR, "opsagg: schema of function %u not found", function);
    if (log_plan != nullptr && log_plan_function == function &&
        strcmp(NameStr(log_plan_schema), schema) == 0)
        return log_plan;
    if (log_plan != nullptr) {
        SPI_freeplan(log_plan);
        log_plan = nullptr;
    }
    char* sql = psprintf(
        "INSERT INTO %s.ops_change_log (hour, watch_table) SELECT pg_catalog.unnest($1), $2",
        quote_identifier(schema));
    Oid types[2] = {TIMESTAMPTZARRAYOID, OIDOID};
    SPIPlanPtr plan = SPI_prepare(sql, 2, types);
    if (plan == nullptr)
        elog(ERROR, "opsagg: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
    if (SPI_keepplan(plan) != 0)
        elog(ERROR, "opsagg: SPI_keepplan failed");
    log_plan = plan;
    log_plan_function = function;
    namestrcpy(&log_plan_schema, schema);
    return plan;
}

}  // namespace

OPSAGG_FUNCTION(ops_track_row) {
    TriggerData* data = trigger_data(fcinfo, "ops_track_row");
    if (!TRIGGER_FIRED_FOR_ROW(data->tg_event) || !TRIGGER_FIRED_BEFORE(data->tg_event)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("ops_track_row must be fired BEFORE ... FOR EACH ROW")));
    }
    const RowCache* cache = row_cache(fcinfo, data);
    record_slot(data->tg_trigslot, cache);
    if (TRIGGER_FIRED_BY_UPDATE(data->tg_event)) {
        record_slot(data->tg_newslot, cache);
        return PointerGetDatum(data->tg_newtuple);
    }
    return PointerGetDatum(data->tg_trigtuple);
}

OPSAGG_FUNCTION(ops_track_flush) {
    TriggerData* data = trigger_data(fcinfo, "ops_track_flush");
    if (!TRIGGER_FIRED_FOR_STATEMENT(data->tg_event) || !TRIGGER_FIRED_AFTER(data->tg_event)) {
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("ops_track_flush must be fired AFTER ... FOR EACH STATEMENT")));
    }
    Oid table = RelationGetRelid(data->tg_relation);
    if (current_set == nullptr)
        return PointerGetDatum(nullptr);
    std::size_t count = tr::pending_of(*current_set, table);
    if (count == 0)
        return PointerGetDatum(nullptr);
    auto* hours = static_cast<tr::Micros*>(palloc(count * sizeof(tr::Micros)));
    auto* elements = static_cast<Datum*>(palloc(count * sizeof(Datum)));
    // Marked as written by this (sub)transaction before the INSERT: if it fails, so does
    // the statement, and the subtransaction's abort makes them pending again.
    count = tr::take_pending(current_set, table, GetCurrentSubTransactionId(), hours);
    for (std::size_t i = 0; i < count; ++i)
        elements[i] = TimestampTzGetDatum(hours[i]);
    ArrayType* array = construct_array(elements, static_cast<int>(count), TIMESTAMPTZOID,
                                       sizeof(TimestampTz), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "opsagg: SPI_connect failed");
    SPIPlanPtr plan = change_log_insert(fcinfo->flinfo->fn_oid);
    Datum values[2] = {PointerGetDatum(array), ObjectIdGetDatum(table)};
    int rc = SPI_execute_plan(plan, values, nullptr, false, 0);
    if (rc != SPI_OK_INSERT)
        elog(ERROR, "opsagg: logging changed hours failed: %s", SPI_result_code_string(rc));
    SPI_finish();
    return PointerGetDatum(nullptr);
}
