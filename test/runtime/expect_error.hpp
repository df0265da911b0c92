// Expecting an error by type and reading its message: shared by the runtime suites that check
// what a mistake reports.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <functional>
#include <string>

namespace ormtest {

// Runs fn, expects exception E, and returns its message.
template <class E> std::string message_of(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const E &e) {
    return e.what();
  } catch (const std::exception &e) {
    ADD_FAILURE() << "wrong exception type: " << e.what();
    return {};
  }
  ADD_FAILURE() << "no exception";
  return {};
}

} // namespace ormtest

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)
