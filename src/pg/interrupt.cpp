// The interrupt hook of the cores (core/interrupt.hpp), answered from PostgreSQL's
// interrupt flags.
#include "core/interrupt.hpp"
#include "pg/pg.hpp"

namespace opsagg::pg {

namespace {

// True when CHECK_FOR_INTERRUPTS() would now raise an error for a cancel or a
// termination (the conditions of ProcessInterrupts in tcop/postgres.c). Reads plain
// globals only: it runs inside C++ frames, where nothing may ereport.
bool interrupt_pending() noexcept {
    if (!InterruptPending || InterruptHoldoffCount != 0 || CritSectionCount != 0)
        return false;
    return ProcDiePending || ClientConnectionLost ||
           (QueryCancelPending && QueryCancelHoldoffCount == 0);
}

// Installed when the module is loaded, before any SQL function can run.
struct InstallInterruptPoll {
    InstallInterruptPoll() noexcept { set_interrupt_poll(&interrupt_pending); }
} install_interrupt_poll;

}  // namespace

}  // namespace opsagg::pg
