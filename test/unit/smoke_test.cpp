#include <gtest/gtest.h>

#include "heartbeat.hpp"

TEST(HeartbeatSmoke, SingleHeartbeat) {
    opsagg::heartbeat::Builder b({0, 100, 0, 10});
    b.add_heartbeat(5);
    ASSERT_EQ(b.result_count(), 1u);
}
