#pragma once
// An output file named on a checking tool's command line (wb_stress --json, wb_modelcheck --json):
// checked before any work, so a bad name is a usage error (exit 2) rather than a failed run after
// minutes of checking, and written whole at the end: FILE.partial, then a rename, so a reader never
// sees half a file. The .partial exists only while it is written, and a SIGINT or SIGTERM then
// removes it before the process ends.

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace wakerbench::tools {

namespace detail {

// The .partial being written now, for the signal handler (async-signal-safe: unlink(2) only).
inline char g_partial[4096] = "";

extern "C" inline void remove_partial_and_die(int sig) {
    if (g_partial[0] != '\0') ::unlink(g_partial);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

}  // namespace detail

// Why `path` cannot be an output file, or "" if it can: empty, a directory, a missing directory,
// or a directory we cannot create files in (tried: a probe file is created and removed at once).
inline std::string why_not_writable(const std::string& path) {
    namespace fs = std::filesystem;
    if (path.empty()) return "an empty file name";
    std::error_code ec;
    if (fs::is_directory(path, ec)) return "'" + path + "' is a directory; name a file in it";
    const fs::path dir = fs::path(path).parent_path().empty() ? fs::path(".") : fs::path(path).parent_path();
    if (!fs::is_directory(dir, ec)) return "'" + dir.string() + "' is not a directory (create it first)";
    const std::string probe = path + ".partial";
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return "cannot create files next to '" + path + "': " + std::strerror(errno);
    ::close(fd);
    ::unlink(probe.c_str());
    return "";
}

// Where `dir` would hold files (a --history-dir): "" if it is a directory or can be created as
// one, else why not.
inline std::string why_not_a_directory(const std::string& dir) {
    namespace fs = std::filesystem;
    if (dir.empty()) return "an empty directory name";
    std::error_code ec;
    fs::path p = fs::absolute(dir, ec);
    for (; !p.empty() && !fs::exists(p, ec); p = p.parent_path()) {
        if (p == p.parent_path()) break;
    }
    if (!fs::is_directory(p, ec)) return "'" + p.string() + "' is not a directory, so '" + dir + "' cannot be one";
    return "";
}

// Writes `text` to path.partial and renames it to path. False, having set `error`, if it could not.
inline bool write_whole(const std::string& path, const std::string& text, std::string& error) {
    const std::string tmp = path + ".partial";
    std::snprintf(detail::g_partial, sizeof detail::g_partial, "%s", tmp.c_str());
    auto previous_int = std::signal(SIGINT, detail::remove_partial_and_die);
    auto previous_term = std::signal(SIGTERM, detail::remove_partial_and_die);
    bool ok = true;
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << text;
        if (!out.flush()) {
            error = "cannot write " + tmp + ": " + std::strerror(errno);
            ok = false;
        }
    }
    std::error_code ec;
    if (ok) std::filesystem::rename(tmp, path, ec);
    if (ok && ec) {
        error = "cannot rename " + tmp + " to " + path + ": " + ec.message();
        ok = false;
    }
    if (!ok) std::filesystem::remove(tmp, ec);
    std::signal(SIGINT, previous_int);
    std::signal(SIGTERM, previous_term);
    detail::g_partial[0] = '\0';
    return ok;
}

}  // namespace wakerbench::tools
