//! --benchmark_filter: a POSIX extended regular expression searched for in each benchmark's full
//! name, through glibc's regcomp/regexec (no regex crate is packaged in Debian's registry, and
//! this is the dialect wb_bench's --min_time_for speaks too). As in Google Benchmark, an empty
//! filter or "all" selects everything, and a leading '-' selects what does NOT match the rest.

use std::ffi::CString;
use std::mem;

pub struct Filter {
    regex: Box<libc::regex_t>, // boxed: glibc is not promised that a compiled regex_t may move
    negated: bool,
    text: String,
}

impl Filter {
    /// Compiles `spec`; the error names the expression and glibc's reason.
    pub fn new(spec: &str) -> Result<Filter, String> {
        let (negated, pattern) = match spec.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, spec),
        };
        let pattern = if pattern.is_empty() || pattern == "all" { "." } else { pattern };
        let c_pattern =
            CString::new(pattern).map_err(|_| format!("--benchmark_filter='{}' contains a NUL byte", spec))?;
        // SAFETY: regex_t is plain data that regcomp initializes; it is freed in Drop only if
        // regcomp succeeded (on failure regcomp leaves nothing to free).
        unsafe {
            let mut regex: Box<libc::regex_t> = Box::new(mem::zeroed());
            let rc = libc::regcomp(&mut *regex, c_pattern.as_ptr(), libc::REG_EXTENDED | libc::REG_NOSUB);
            if rc != 0 {
                let mut message = [0u8; 256];
                libc::regerror(rc, &*regex, message.as_mut_ptr() as *mut libc::c_char, message.len());
                let end = message.iter().position(|&b| b == 0).unwrap_or(message.len());
                return Err(format!(
                    "--benchmark_filter='{}' is not a valid POSIX extended regular expression: {}",
                    spec,
                    String::from_utf8_lossy(&message[..end])
                ));
            }
            Ok(Filter { regex, negated, text: spec.to_owned() })
        }
    }

    /// As given on the command line.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn selects(&self, name: &str) -> bool {
        let c_name = match CString::new(name) {
            Ok(c_name) => c_name,
            Err(_) => return false, // no benchmark name holds a NUL byte
        };
        // SAFETY: the regex was compiled in new(); REG_NOSUB: no match array is written.
        let found = unsafe { libc::regexec(&*self.regex, c_name.as_ptr(), 0, std::ptr::null_mut(), 0) == 0 };
        found != self.negated
    }
}

impl Drop for Filter {
    fn drop(&mut self) {
        // SAFETY: compiled in new(), freed once.
        unsafe { libc::regfree(&mut *self.regex) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_filters_select_as_wb_bench_does() {
        let f = Filter::new("^[^/]+/[^/]+/cap:(1|1024)/batch:(1|256)/payload:u64/mode:|^(tasks|fanout|churn)[0-9]+/")
            .unwrap();
        assert!(f.selects("spsc/flume/cap:1024/batch:256/payload:u64/mode:sync/manual_time"));
        assert!(!f.selects("spsc/flume/cap:unbounded/batch:256/payload:u64/mode:sync/manual_time"));
        assert!(!f.selects("spsc/flume/cap:1024/batch:16/payload:u64/mode:sync/manual_time"));
        assert!(Filter::new("").unwrap().selects("anything"));
        assert!(!Filter::new("-^spsc/").unwrap().selects("spsc/tokio/cap:1/batch:1/payload:u64/mode:sync/manual_time"));
    }

    #[test]
    fn a_bad_expression_is_named() {
        let e = Filter::new("spsc/(").err().unwrap();
        assert!(e.contains("--benchmark_filter='spsc/('"), "{}", e);
    }
}
