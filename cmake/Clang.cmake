# Finds Debian's LLVM/Clang 19 (its config files want major.minor) and gives the helpers every
# LLVM-linked target needs.
find_package(Clang 19.1 REQUIRED CONFIG HINTS /usr/lib/llvm-19/lib/cmake/clang)
find_package(LLVM 19.1 REQUIRED CONFIG HINTS /usr/lib/llvm-19/lib/cmake/llvm)
message(STATUS "aorm: LLVM ${LLVM_PACKAGE_VERSION} at ${LLVM_INSTALL_PREFIX}")

set(AORM_LLVM_BIN ${LLVM_TOOLS_BINARY_DIR})

# LLVM is built without RTTI; code that derives from its classes must match.
function(aorm_llvm_target target)
  target_include_directories(${target} SYSTEM PRIVATE ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
  target_compile_definitions(${target} PRIVATE ${LLVM_DEFINITIONS})
  target_compile_options(${target} PRIVATE -fno-rtti)
endfunction()
