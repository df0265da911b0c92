// Deliberately ill-formed input for the robustness RUN line in no-aorm.cpp.
#include <aorm/aorm.hpp>

aorm::Task<int> broken() {
  auto qs = Undeclared::objects.filter(;
  for (auto &p : qs)
    co_return p.missing();
  co_await
}
