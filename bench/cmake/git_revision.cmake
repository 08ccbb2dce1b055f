# Run at build time (cmake -P) so the revision is never stale: writes OUT, a header naming the
# commit the binary was built from and whether tracked files differed from it, rewriting OUT only
# when that changes (so an unchanged tree triggers no rebuild).
execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0)
  set(rev "unknown (not a git checkout)")
endif()
execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                OUTPUT_VARIABLE changes RESULT_VARIABLE rc ERROR_QUIET)
if(rc EQUAL 0 AND NOT changes STREQUAL "")
  set(dirty true)
else()
  set(dirty false)
endif()
set(text "#pragma once\n// Generated at build time by bench/cmake/git_revision.cmake.\nnamespace wakerbench::bench {\ninline constexpr const char* kGitRevision = \"${rev}\";\ninline constexpr bool kGitDirty = ${dirty};\n}  // namespace wakerbench::bench\n")
file(WRITE "${OUT}.new" "${text}")
file(COPY_FILE "${OUT}.new" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.new")
