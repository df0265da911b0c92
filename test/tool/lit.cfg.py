# lit configuration for the aorm-tidy tests (loaded through the configured lit.site.cfg.py).
import os

import lit.formats

config.name = "aorm-tidy"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".test"]
config.test_source_root = config.aorm_source_dir
config.test_exec_root = config.aorm_binary_dir

for tool in ("aorm_tidy", "aorm_plugin", "aorm_clang_tidy", "aorm_filecheck", "aorm_clangxx",
             "aorm_run_clang_tidy", "aorm_apply_replacements", "aorm_cmake"):
    path = getattr(config, tool)
    if not os.path.exists(path):
        lit_config.fatal(f"{tool}: '{path}' does not exist (build aorm-tidy and aorm-tidy-plugin)")

helper = f"{config.aorm_python} {os.path.join(config.aorm_source_dir, 'tool_test.py')}"
config.substitutions += [
    ("%aorm_tidy", config.aorm_tidy),
    ("%helper", helper),
    ("%expect_exit", f"{helper} expect-exit"),
    ("%demo_src", config.aorm_demo),
    ("%docs", config.aorm_docs),
    ("%runtime_include", config.aorm_runtime_include),
    ("%clangxx", config.aorm_clangxx),
    ("%clang_tidy", config.aorm_clang_tidy),
    ("%plugin", config.aorm_plugin),
    ("%run_clang_tidy", config.aorm_run_clang_tidy),
    ("%apply_replacements", config.aorm_apply_replacements),
    ("%cmake", config.aorm_cmake),
    ("%FileCheck", config.aorm_filecheck),
    ("%python", config.aorm_python),
]
# The demo and tiny fixtures; %t is the test's own scratch directory.
config.substitutions.insert(0, ("%mkdemo", f"{helper} demo {config.aorm_demo} "
                                           f"--include={config.aorm_runtime_include} "
                                           f"--cxx={config.aorm_clangxx}"))
config.substitutions.insert(0, ("%mkproject", f"{helper} project "
                                              f"--include={config.aorm_runtime_include} "
                                              f"--cxx={config.aorm_clangxx}"))
config.substitutions.insert(0, ("%mktiny", f"{helper} tiny --cxx={config.aorm_clangxx}"))
# Tests must not depend on the terminal they run in.
config.environment["TERM"] = "dumb"
