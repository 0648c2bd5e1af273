// The ops rollup background worker and the opsagg.* settings (README, "The worker and its
// settings"; the SQL side is the ops_worker_* functions of the install script).
//
// Everything here is PostgreSQL-facing glue: only plain locals and PostgreSQL memory, no C++
// object with a destructor, so an ereport may longjmp through any frame. The entry points
// still run inside run_guarded so that no C++ exception can escape into PostgreSQL.
#include "core/rollup_plan.hpp"
#include "pg/boundary.hpp"

namespace opsagg::worker {

namespace {

constexpr const char* kWorkerName = "opsagg rollup worker";
constexpr int kMaxBackoffMs = 60 * 60 * 1000;

// Settings (see _PG_init).
bool worker_enabled = true;
int worker_interval_ms = 60 * 1000;
char* backfill = nullptr;
char* hourly_retention = nullptr;
char* daily_retention = nullptr;
char* worker_role = nullptr;
char* database = nullptr;

// Worker state, kept across cycles.
MemoryContext loop_context = nullptr;
char* role_at_start = nullptr;  // in TopMemoryContext
int consecutive_failures = 0;
bool waiting_for_extension = false;
TimestampTz last_cycle_end = 0;
bool cycle_ran = false;
// The last error logged, for when it cannot be recorded in the database.
char last_logged_error[1024];

// ---------------------------------------------------------------------------------------------
// Settings

// The interval settings are checked against the limits the SQL side applies when it uses
// them (core/rollup_plan.hpp, check_settings), so that a value the server accepts never fails
// every cycle: backfill positive, retention at least kMinRetention, none over kMaxSettingSpan.
namespace rp = opsagg::rollup;

// Check hook of the interval settings. A check hook must not ereport, so the interval is parsed
// with ParseDateTime/DecodeInterval, which report errors by return code (as interval_in does).
// Months and years are refused: their length varies, and the SQL side subtracts these settings
// from timestamps to decide what to keep.
bool interval_setting_is_valid(const char* value, int64 min_micros) {
    if (value == nullptr || value[0] == '\0') {
        GUC_check_errdetail("The value must be a positive interval, such as '30 days'.");
        return false;
    }
    char workbuf[256];
    char* fields[MAXDATEFIELDS];
    int field_types[MAXDATEFIELDS];
    int field_count = 0;
    int dtype = 0;
    struct pg_itm_in itm;
    int dterr = ParseDateTime(value, workbuf, sizeof workbuf, fields, field_types, MAXDATEFIELDS,
                              &field_count);
    if (dterr == 0)
        dterr = DecodeInterval(fields, field_types, field_count, INTERVAL_FULL_RANGE, &dtype, &itm);
    if (dterr == DTERR_BAD_FORMAT) {
        // ISO 8601 ('P30D'), as interval_in accepts it. It writes nothing into the string.
        dterr = DecodeISO8601Interval(const_cast<char*>(value), &dtype, &itm);
    }
    if (dterr != 0 || dtype != DTK_DELTA) {
        GUC_check_errdetail("\"%s\" is not a valid interval.", value);
        GUC_check_errhint("Use days, hours, minutes or seconds, such as '30 days' or '12 hours'.");
        return false;
    }
    Interval interval;
    int64 day_micros = 0;
    int64 micros = 0;
    if (itmin2interval(&itm, &interval) != 0 ||
        __builtin_mul_overflow(static_cast<int64>(interval.day), USECS_PER_DAY, &day_micros) ||
        __builtin_add_overflow(day_micros, interval.time, &micros) ||
        micros > rp::kMaxSettingSpan) {
        GUC_check_errdetail("The interval \"%s\" is too long: at most 100000 years.", value);
        return false;
    }
    if (interval.month != 0) {
        GUC_check_errdetail("Months and years are not allowed, because their length varies.");
        GUC_check_errhint("Give the interval in days, such as '400 days'.");
        return false;
    }
    if (micros <= 0) {
        GUC_check_errdetail("The interval must be positive.");
        return false;
    }
    if (micros < min_micros) {
        GUC_check_errdetail("A retention must be at least 1 day.");
        return false;
    }
    return true;
}

}  // namespace

}  // namespace opsagg::worker

// Check hooks must not ereport, and no exception may leave them.
extern "C" {
static bool check_interval_setting(char** newval, int64 min_micros) {
    bool valid = false;
    opsagg::pg::CaughtError error;
    if (opsagg::pg::run_guarded(
            [&] { valid = opsagg::worker::interval_setting_is_valid(*newval, min_micros); },
            &error))
        return valid;
    GUC_check_errdetail("%s", error.message);
    return false;
}

static bool check_backfill(char** newval, void** extra, GucSource source) {
    return check_interval_setting(newval, 1);
}

static bool check_retention(char** newval, void** extra, GucSource source) {
    return check_interval_setting(newval, opsagg::rollup::kMinRetention);
}
}

namespace opsagg::worker {

namespace {

void define_settings() {
    DefineCustomBoolVariable("opsagg.worker_enabled",
                             "Whether the ops rollup worker runs its cycles.", nullptr,
                             &worker_enabled, true, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("opsagg.worker_interval",
                            "Time from the end of one cycle of the ops rollup worker to the next.",
                            nullptr, &worker_interval_ms, 60 * 1000, 1000, INT_MAX, PGC_SIGHUP,
                            GUC_UNIT_MS, nullptr, nullptr, nullptr);
    DefineCustomStringVariable("opsagg.backfill",
                               "How far back the ops rollups start on a first run.",
                               "A positive interval without months or years.", &backfill, "30 days",
                               PGC_SIGHUP, 0, check_backfill, nullptr, nullptr);
    DefineCustomStringVariable("opsagg.hourly_retention", "How long hourly ops rollups are kept.",
                               "At least 1 day, without months or years.", &hourly_retention,
                               "30 days", PGC_SIGHUP, 0, check_retention, nullptr, nullptr);
    DefineCustomStringVariable("opsagg.daily_retention", "How long daily ops rollups are kept.",
                               "At least 1 day, without months or years.", &daily_retention,
                               "400 days", PGC_SIGHUP, 0, check_retention, nullptr, nullptr);
    DefineCustomStringVariable("opsagg.worker_role", "Role the ops rollup worker connects as.",
                               "Empty means the bootstrap superuser. A change restarts the worker.",
                               &worker_role, "", PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
}

// ---------------------------------------------------------------------------------------------
// One call of an ops_worker_* function

enum class CallStatus { kDone, kNoExtension };

// The schema of extension `extension`. PostgreSQL 15 does not export get_extension_schema.
Oid extension_schema(Oid extension) {
    Relation rel = table_open(ExtensionRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(extension));
    SysScanDesc scan = systable_beginscan(rel, ExtensionOidIndexId, true, nullptr, 1, &key);
    HeapTuple tuple = systable_getnext(scan);
    Oid schema = InvalidOid;
    if (HeapTupleIsValid(tuple))
        schema = reinterpret_cast<Form_pg_extension>(GETSTRUCT(tuple))->extnamespace;
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    return schema;
}

// The extension's OID, locked against DROP EXTENSION until the end of the transaction, or
// InvalidOid when it is not installed. The lock makes a concurrent DROP EXTENSION wait for the
// call instead of removing the function under it.
Oid locked_extension() {
    Oid extension = get_extension_oid("opsagg", true);
    if (!OidIsValid(extension) || creating_extension)
        return InvalidOid;
    LockDatabaseObject(ExtensionRelationId, extension, 0, AccessShareLock);
    // Taking the lock processed invalidations: a drop committed meanwhile is now visible.
    if (get_extension_oid("opsagg", true) != extension)
        return InvalidOid;
    return extension;
}

void finish_transaction() {
    SPI_finish();
    PopActiveSnapshot();
    CommitTransactionCommand();
    pgstat_report_stat(false);
    pgstat_report_activity(STATE_IDLE, nullptr);
}

// Runs `SELECT <schema>.<function>()`, or `<function>(message)` when message is not null, in a
// transaction of its own. A function returning boolean leaves its result in *returned (NULL
// counts as false). Any failure is an ERROR.
CallStatus call_in_transaction(const char* function, const char* message, bool* returned) {
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "%s: SPI_connect failed", kWorkerName);
    PushActiveSnapshot(GetTransactionSnapshot());
    pgstat_report_activity(STATE_RUNNING, function);

    // Nothing the call resolves may come from a schema a user can create objects in.
    if (SPI_execute("SET LOCAL search_path = pg_catalog, pg_temp", false, 0) != SPI_OK_UTILITY)
        elog(ERROR, "%s: could not set search_path", kWorkerName);

    Oid extension = locked_extension();
    if (!OidIsValid(extension)) {
        finish_transaction();
        return CallStatus::kNoExtension;
    }
    char* schema = get_namespace_name(extension_schema(extension));
    if (schema == nullptr)
        elog(ERROR, "%s: the schema of extension opsagg was not found", kWorkerName);

    char* sql = psprintf("SELECT %s.%s(%s)", quote_identifier(schema), function,
                         message != nullptr ? "$1" : "");
    pgstat_report_activity(STATE_RUNNING, sql);
    int rc;
    if (message != nullptr) {
        Oid types[1] = {TEXTOID};
        Datum values[1] = {CStringGetTextDatum(message)};
        rc = SPI_execute_with_args(sql, 1, types, values, nullptr, false, 0);
    } else {
        rc = SPI_execute(sql, false, 0);
    }
    if (rc != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "%s: unexpected result from %s", kWorkerName, sql);
    if (returned != nullptr) {
        if (SPI_gettypeid(SPI_tuptable->tupdesc, 1) != BOOLOID)
            elog(ERROR, "%s: %s did not return boolean", kWorkerName, sql);
        bool isnull = false;
        Datum value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
        *returned = !isnull && DatumGetBool(value);
    }
    finish_transaction();
    return CallStatus::kDone;
}

// call_in_transaction that survives an ERROR: returns false with the error copied into the
// loop context and the transaction aborted. FATAL (e.g. SIGTERM) still ends the process.
bool guarded_call(const char* function, const char* message, CallStatus* status, bool* returned,
                  ErrorData** error) {
    volatile bool ok = true;
    PG_TRY();
    { *status = call_in_transaction(function, message, returned); }
    PG_CATCH();
    {
        // CopyErrorData may not run in ErrorContext, and the copy must outlive the abort.
        MemoryContextSwitchTo(loop_context);
        *error = CopyErrorData();
        FlushErrorState();
        AbortCurrentTransaction();
        pgstat_report_activity(STATE_IDLE, nullptr);
        ok = false;
    }
    PG_END_TRY();
    // Commit and abort leave TopMemoryContext current.
    MemoryContextSwitchTo(loop_context);
    return ok;
}

// ---------------------------------------------------------------------------------------------
// The cycle

void reload_config() {
    ConfigReloadPending = false;
    ProcessConfigFile(PGC_SIGHUP);
    if (strcmp(role_at_start, worker_role) != 0) {
        // The connection's role is fixed: exit 1 so that the postmaster starts a new worker.
        ereport(LOG, (errmsg("%s: opsagg.worker_role changed from \"%s\" to \"%s\", restarting",
                             kWorkerName, role_at_start, worker_role)));
        proc_exit(1);
    }
}

long current_wait_ms() {
    long wait = worker_interval_ms;
    if (consecutive_failures > 0) {
        int64 backoff = static_cast<int64>(worker_interval_ms) << Min(consecutive_failures, 20);
        backoff = Min(backoff, static_cast<int64>(kMaxBackoffMs));
        // Never shorter than the interval itself, even when that is above the cap.
        wait = Max(wait, static_cast<long>(backoff));
    }
    return wait;
}

void note_no_extension() {
    consecutive_failures = 0;
    if (!waiting_for_extension) {
        ereport(LOG, (errmsg("%s: extension \"opsagg\" is not installed in database \"%s\", "
                             "waiting for it",
                             kWorkerName, database)));
        waiting_for_extension = true;
    }
}

// record_error: why the error could not be recorded in the database, or null.
void log_cycle_error(const ErrorData* error, const char* message, const ErrorData* record_error) {
    StringInfoData detail;
    initStringInfo(&detail);
    if (error->detail != nullptr)
        appendStringInfo(&detail, "%s\n", error->detail);
    if (record_error != nullptr && record_error->message != nullptr)
        appendStringInfo(&detail, "The error could not be recorded: %s\n", record_error->message);
    appendStringInfo(&detail, "The worker retries in %ld s.", current_wait_ms() / 1000);
    ereport(WARNING, (errcode(error->sqlerrcode), errmsg("%s: %s", kWorkerName, message),
                      errdetail_internal("%s", detail.data),
                      error->hint != nullptr ? errhint("%s", error->hint) : 0));
    strlcpy(last_logged_error, message, sizeof last_logged_error);
}

// Records a failed cycle through ops_worker_record_error, which says whether the message is new
// (then it is logged once). If recording fails too, the worker remembers the last message it
// logged itself.
void handle_cycle_error(const ErrorData* error) {
    const char* message = error->message != nullptr ? error->message : "unknown error";
    CallStatus status = CallStatus::kDone;
    bool is_new = false;
    ErrorData* record_error = nullptr;
    if (!guarded_call("ops_worker_record_error", message, &status, &is_new, &record_error)) {
        ++consecutive_failures;
        if (strncmp(last_logged_error, message, sizeof last_logged_error - 1) != 0)
            log_cycle_error(error, message, record_error);
        return;
    }
    if (status == CallStatus::kNoExtension) {
        // Dropped while the cycle ran: not an error of the rollups.
        note_no_extension();
        return;
    }
    ++consecutive_failures;
    if (is_new)
        log_cycle_error(error, message, nullptr);
}

enum class CycleOutcome { kSucceeded, kNoExtension, kFailed };

CycleOutcome run_calls(ErrorData** error) {
    CallStatus status = CallStatus::kDone;
    if (!guarded_call("ops_worker_cycle_begin", nullptr, &status, nullptr, error))
        return CycleOutcome::kFailed;
    if (status == CallStatus::kNoExtension)
        return CycleOutcome::kNoExtension;
    waiting_for_extension = false;
    for (;;) {
        CHECK_FOR_INTERRUPTS();
        if (ConfigReloadPending)
            reload_config();
        if (!worker_enabled)
            break;  // switched off during catch-up: close the cycle now
        bool more = false;
        if (!guarded_call("ops_worker_cycle_step", nullptr, &status, &more, error))
            return CycleOutcome::kFailed;
        if (status == CallStatus::kNoExtension)
            return CycleOutcome::kNoExtension;
        if (!more)
            break;
    }
    if (!guarded_call("ops_worker_cycle_end", nullptr, &status, nullptr, error))
        return CycleOutcome::kFailed;
    if (status == CallStatus::kNoExtension)
        return CycleOutcome::kNoExtension;
    return CycleOutcome::kSucceeded;
}

void run_cycle() {
    ErrorData* error = nullptr;
    switch (run_calls(&error)) {
        case CycleOutcome::kSucceeded:
            consecutive_failures = 0;
            last_logged_error[0] = '\0';
            break;
        case CycleOutcome::kNoExtension:
            note_no_extension();
            break;
        case CycleOutcome::kFailed:
            handle_cycle_error(error);
            break;
    }
    pgstat_report_stat(true);
}

[[noreturn]] void worker_main() {
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    pqsignal(SIGTERM, die);
    BackgroundWorkerUnblockSignals();

    role_at_start = MemoryContextStrdup(TopMemoryContext, worker_role);
    BackgroundWorkerInitializeConnection(database, worker_role[0] != '\0' ? worker_role : nullptr,
                                         0);
    SetConfigOption("application_name", kWorkerName, PGC_USERSET, PGC_S_SESSION);
    ereport(LOG, (errmsg("%s started in database \"%s\" as %s%s%s", kWorkerName, database,
                         worker_role[0] != '\0' ? "role \"" : "the bootstrap superuser",
                         worker_role, worker_role[0] != '\0' ? "\"" : "")));

    loop_context =
        AllocSetContextCreate(TopMemoryContext, "opsagg worker loop", ALLOCSET_DEFAULT_SIZES);
    MemoryContextSwitchTo(loop_context);
    for (;;) {
        CHECK_FOR_INTERRUPTS();
        if (ConfigReloadPending)
            reload_config();

        int events = WL_LATCH_SET | WL_EXIT_ON_PM_DEATH;
        long timeout = -1;
        if (worker_enabled) {
            // The due time is recomputed on every wake-up, so a new interval applies at once.
            TimestampTz now = GetCurrentTimestamp();
            TimestampTz due = TimestampTzPlusMilliseconds(last_cycle_end, current_wait_ms());
            if (!cycle_ran || now >= due || now < last_cycle_end) {
                run_cycle();
                cycle_ran = true;
                last_cycle_end = GetCurrentTimestamp();
                now = last_cycle_end;
                due = TimestampTzPlusMilliseconds(last_cycle_end, current_wait_ms());
            }
            timeout = TimestampDifferenceMilliseconds(now, due);
            events |= WL_TIMEOUT;
        }
        (void)WaitLatch(MyLatch, events, timeout, PG_WAIT_EXTENSION);
        ResetLatch(MyLatch);
        MemoryContextReset(loop_context);
    }
}

}  // namespace

}  // namespace opsagg::worker

extern "C" {
PGDLLEXPORT void opsagg_worker_main(Datum arg);
}

extern "C" void _PG_init(void) {
    using namespace opsagg::worker;
    opsagg::pg::CaughtError error;
    bool ok = opsagg::pg::run_guarded(
        [] {
            // The settings the SQL side reads exist whether or not the library is preloaded.
            define_settings();
            if (process_shared_preload_libraries_in_progress) {
                DefineCustomStringVariable(
                    "opsagg.database", "Database the ops rollup worker connects to.", nullptr,
                    &database, "postgres", PGC_POSTMASTER, 0, nullptr, nullptr, nullptr);
                // No worker while pg_upgrade restores the schema.
                if (!IsBinaryUpgrade) {
                    BackgroundWorker worker;
                    memset(&worker, 0, sizeof worker);
                    worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
                    worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
                    worker.bgw_restart_time = 10;
                    strlcpy(worker.bgw_library_name, "opsagg", BGW_MAXLEN);
                    strlcpy(worker.bgw_function_name, "opsagg_worker_main", BGW_MAXLEN);
                    strlcpy(worker.bgw_name, kWorkerName, BGW_MAXLEN);
                    strlcpy(worker.bgw_type, kWorkerName, BGW_MAXLEN);
                    worker.bgw_main_arg = static_cast<Datum>(0);
                    worker.bgw_notify_pid = 0;
                    RegisterBackgroundWorker(&worker);
                }
            }
            MarkGUCPrefixReserved("opsagg");
        },
        &error);
    if (!ok)
        opsagg::pg::raise_error(error);
}

extern "C" void opsagg_worker_main(Datum arg) {
    opsagg::pg::CaughtError error;
    // worker_main never returns: it exits through proc_exit or a FATAL error.
    if (!opsagg::pg::run_guarded([] { opsagg::worker::worker_main(); }, &error))
        opsagg::pg::raise_error(error);
}
