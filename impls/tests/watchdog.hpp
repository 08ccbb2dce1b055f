#pragma once
// The watchdog every test executable installs by including this header: a test that hangs (a
// lost wake-up leaves a join, a recv or a JoinHandle::wait() blocked for ever) aborts the run
// with its name after 120 s (exit status 3), instead of sitting until ctest's timeout with no hint of where it
// stuck. The disabled test below hangs on purpose: ctest's watchdog/<executable> runs it with a
// 1 s limit to show that executable has the watchdog.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

namespace wakerbench::test {

// One thread per executable; every test gets kLimit to finish. A test that hangs (a lost wake-up
// leaves a join or a JoinHandle::wait() blocked for ever) aborts the run with its name, instead of
// sitting until ctest's timeout with no hint of where it stuck.
class Watchdog : public ::testing::EmptyTestEventListener {
public:
    static constexpr int kExitHung = 3;  // as wb_stress says a run hung

    Watchdog() : limit_(limit_from_environment()), thread_([this] { watch(); }) {}
    ~Watchdog() override {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }

    void OnTestStart(const ::testing::TestInfo& info) override {
        {
            std::lock_guard lock(mutex_);
            name_ = std::string(info.test_suite_name()) + "." + info.name();
            deadline_ = std::chrono::steady_clock::now() + limit_;
            armed_ = true;
        }
        cv_.notify_all();
    }
    void OnTestEnd(const ::testing::TestInfo&) override {
        std::lock_guard lock(mutex_);
        armed_ = false;
    }

private:
    // 120 s, or WAKERBENCH_TEST_WATCHDOG_SECONDS (the watchdog's own ctest sets 1).
    static std::chrono::seconds limit_from_environment() {
        const char* text = std::getenv("WAKERBENCH_TEST_WATCHDOG_SECONDS");
        const long seconds = text ? std::strtol(text, nullptr, 10) : 0;
        return std::chrono::seconds(seconds > 0 ? seconds : 120);
    }

    void watch() {
        std::unique_lock lock(mutex_);
        for (;;) {
            if (stop_) return;
            if (!armed_) {
                cv_.wait(lock);
                continue;
            }
            if (cv_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ && !stop_ &&
                std::chrono::steady_clock::now() >= deadline_) {
                std::fprintf(stderr, "\nwatchdog: %s did not finish within %lld s (a lost wake-up or a deadlock?)\n",
                             name_.c_str(), static_cast<long long>(limit_.count()));
                std::fflush(stderr);
                std::_Exit(kExitHung);  // the hung test's threads cannot be joined
            }
        }
    }

    const std::chrono::seconds limit_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::string name_;
    std::chrono::steady_clock::time_point deadline_{};
    bool armed_ = false;
    bool stop_ = false;
    std::thread thread_;
};

inline bool install_watchdog() {
    // gtest owns and deletes appended listeners at exit.
    ::testing::UnitTest::GetInstance()->listeners().Append(new Watchdog);
    return true;
}
inline const bool watchdog_installed = install_watchdog();

TEST(Watchdog, DISABLED_HangsForItsSelfTest) { std::this_thread::sleep_for(std::chrono::hours(1)); }

}  // namespace wakerbench::test
