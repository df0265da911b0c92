#include "fault_models.hpp"

#include "../support/test_database.hpp"

#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

namespace faults {

ScratchDb::ScratchDb(const std::string &tag) {
  const char *tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp && *tmp ? tmp : "/tmp") + "/aorm-robustness-" + tag + "-XXXXXX";
  if (!mkdtemp(pattern.data()))
    throw std::runtime_error("cannot create scratch directory from pattern " + pattern);
  dir_ = pattern;
  file_ = dir_ / "test.db";
  if (testdb::on_postgres())
    testdb::reset_postgres();
}

std::string ScratchDb::run_url() const {
  return testdb::on_postgres() ? std::string(testdb::postgres_url()) : url();
}

ScratchDb::~ScratchDb() {
  aorm::close();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

} // namespace faults
