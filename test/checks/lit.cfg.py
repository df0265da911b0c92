# lit configuration for the aorm checks (loaded through the configured lit.site.cfg.py).
import os

import lit.formats

config.name = "aorm-checks"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp"]
config.excludes = ["Inputs"]
config.test_source_root = config.aorm_source_dir
config.test_exec_root = config.aorm_binary_dir

for tool in ("aorm_plugin", "aorm_clang_tidy", "aorm_filecheck", "aorm_clangxx"):
    path = getattr(config, tool)
    if not os.path.exists(path):
        lit_config.fatal(f"{tool}: '{path}' does not exist (build the aorm-tidy-plugin target?)")

cxxflags = f"-std=c++20 -I{config.aorm_runtime_include}"
runner = os.path.join(config.aorm_source_dir, "check_aorm_tidy.py")
config.substitutions.append(
    (
        "%check_aorm_tidy",
        f"{config.aorm_python} {runner} --clang-tidy={config.aorm_clang_tidy} "
        f"--plugin={config.aorm_plugin} --filecheck={config.aorm_filecheck} "
        f"--include={config.aorm_runtime_include} --std=c++20,c++23",
    )
)
config.substitutions.append(
    (
        "%clang_tidy_aorm",
        f"{config.aorm_clang_tidy} --load={config.aorm_plugin}",
    )
)
config.substitutions.append(("%aorm_plugin", config.aorm_plugin))
config.substitutions.append(("%cxxflags", cxxflags))
config.substitutions.append(("%clangxx", config.aorm_clangxx))
config.substitutions.append(("%FileCheck", config.aorm_filecheck))
config.substitutions.append(("%python", config.aorm_python))
