// RUN: %check_aorm_tidy %s aorm-blocking-call-in-coroutine %t -config="{CheckOptions: {aorm-blocking-call-in-coroutine.BlockingFunctions: '::usleep;std::this_thread::sleep_for=aorm::sleep_for; legacy::Mapper::fetch=afetch;legacy::load_rows'}}"
// The option is written back as given.
// RUN: %clang_tidy_aorm -checks='-*,aorm-blocking-call-in-coroutine' -config="{CheckOptions: {aorm-blocking-call-in-coroutine.BlockingFunctions: '::usleep;legacy::load_rows'}}" --dump-config %s -- %cxxflags -I%S | %FileCheck %s --check-prefix=DUMP
// DUMP: aorm-blocking-call-in-coroutine.BlockingFunctions: '::usleep;legacy::load_rows'
// A malformed entry is reported with the option's name.
// RUN: not %clang_tidy_aorm -checks='-*,aorm-blocking-call-in-coroutine' -config="{CheckOptions: {aorm-blocking-call-in-coroutine.BlockingFunctions: '=aorm::sleep_for'}}" %s -- %cxxflags -I%S 2>&1 | %FileCheck %s --check-prefix=BAD
// BAD: error: invalid entry '=aorm::sleep_for' in option 'BlockingFunctions' of check 'aorm-blocking-call-in-coroutine'

#include "Inputs/models.hpp"
#include <chrono>
#include <thread>
#include <unistd.h>
#include <vector>

using aorm::Task;

// A mapper from another library that cannot carry annotations.
namespace legacy {
struct Mapper {
  std::vector<int> fetch(int n) const;
  Task<std::vector<int>> afetch(int n) const;
};
std::vector<int> load_rows();
} // namespace legacy

Task<std::size_t> listed(legacy::Mapper mapper) {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
// CHECK-MESSAGES: :[[@LINE-1]]:21: warning: call to 'sleep_for' in coroutine 'listed' blocks the event loop; use 'co_await aorm::sleep_for(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  co_await aorm::sleep_for(std::chrono::milliseconds(5));{{$}}
  auto rows = mapper.fetch(3);
// CHECK-MESSAGES: :[[@LINE-1]]:22: warning: call to 'fetch' in coroutine 'listed' blocks the event loop; use 'co_await mapper.afetch(...)' instead [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto rows = co_await mapper.afetch(3);{{$}}
  auto more = legacy::load_rows();
// CHECK-MESSAGES: :[[@LINE-1]]:23: warning: call to 'load_rows' in coroutine 'listed' blocks the event loop; move it into 'co_await aorm::sync_to_async(...)' [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  auto more = legacy::load_rows();{{$}}
  usleep(10);
// CHECK-MESSAGES: :[[@LINE-1]]:3: warning: call to 'usleep' in coroutine 'listed' blocks the event loop; move it into 'co_await aorm::sync_to_async(...)' [aorm-blocking-call-in-coroutine]
// CHECK-FIXES: {{^}}  usleep(10);{{$}}
  co_return rows.size() + more.size();
}

// ---- near misses ------------------------------------------------------------------------------

namespace other {
void sleep_for(int);
struct Mapper {
  int fetch(int n) const { return n; }
};
} // namespace other

Task<int> same_names_elsewhere(other::Mapper mapper) {
  other::sleep_for(1);
  co_return mapper.fetch(1);
}

void sync_code(legacy::Mapper mapper) {
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  mapper.fetch(1);
}
