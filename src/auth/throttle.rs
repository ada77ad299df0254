//! Sign-in throttling: the rules, as a pure function of the recent failures.
//!
//! Failures are counted per account name and per client address over the last 15 minutes.
//! From the 5th failure on, each further attempt must wait (30 s after the 5th failure, 60 s
//! after the 6th, … up to 150 s); at the 10th the key is locked for 15 minutes from that
//! failure. A refused attempt is not checked and not counted, so waiting is the only way on.

/// The window failures are counted in, in seconds.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Failures before attempts have to wait.
pub const SLOW_AFTER: usize = 5;
/// Failures that lock the account or address.
pub const LOCK_AFTER: usize = 10;
/// How long a lock lasts, from the failure that caused it.
pub const LOCK_SECS: i64 = 15 * 60;
/// The wait after the 5th failure; each further failure adds as much again.
pub const WAIT_STEP_SECS: i64 = 30;

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Check the password.
    Allow,
    /// Too many failures: come back in this many seconds.
    Wait(i64),
    /// Locked: come back in this many seconds.
    Locked(i64),
}

impl Decision {
    /// The stricter of two decisions (a lock beats a wait, a longer wait beats a shorter one).
    pub fn max(self, other: Self) -> Self {
        use Decision::*;
        match (self, other) {
            (Locked(a), Locked(b)) => Locked(a.max(b)),
            (Locked(a), _) | (_, Locked(a)) => Locked(a),
            (Wait(a), Wait(b)) => Wait(a.max(b)),
            (Wait(a), _) | (_, Wait(a)) => Wait(a),
            (Allow, Allow) => Allow,
        }
    }
}

/// How far back [`decide`] needs to see failures: a lock can start up to a window before
/// the failure that causes it, and lasts [`LOCK_SECS`] after it.
pub const LOOK_BACK_SECS: i64 = WINDOW_SECS + LOCK_SECS;

/// The decision for one key, given the times (Unix seconds, oldest first) of its failures
/// over the last [`LOOK_BACK_SECS`].
pub fn decide(failures: &[i64], now: i64) -> Decision {
    let failures: Vec<i64> = failures.iter().copied().filter(|&at| at <= now).collect();
    // A lock: some LOCK_AFTER consecutive failures within one window, the last of them less
    // than LOCK_SECS ago.
    let locked_at = failures
        .windows(LOCK_AFTER)
        .filter(|run| run[LOCK_AFTER - 1] - run[0] < WINDOW_SECS)
        .map(|run| run[LOCK_AFTER - 1])
        .max();
    if let Some(at) = locked_at {
        let left = at + LOCK_SECS - now;
        if left > 0 {
            return Decision::Locked(left);
        }
    }
    let recent: Vec<i64> = failures
        .into_iter()
        .filter(|&at| at > now - WINDOW_SECS)
        .collect();
    if let (count @ SLOW_AFTER.., Some(&latest)) = (recent.len(), recent.last()) {
        let wait = WAIT_STEP_SECS * (count - SLOW_AFTER + 1) as i64;
        let left = latest + wait - now;
        if left > 0 {
            return Decision::Wait(left.min(LOCK_SECS));
        }
    }
    Decision::Allow
}

/// Whether the failure just recorded (the last of `failures`) is the one that locks.
pub fn locks_now(failures: &[i64]) -> bool {
    let n = failures.len();
    n >= LOCK_AFTER && failures[n - 1] - failures[n - LOCK_AFTER] < WINDOW_SECS
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000_000;

    fn failures(count: usize, last_ago: i64) -> Vec<i64> {
        (0..count as i64)
            .map(|i| NOW - last_ago - (count as i64 - 1 - i))
            .collect()
    }

    #[test]
    fn a_few_failures_change_nothing() {
        assert_eq!(decide(&[], NOW), Decision::Allow);
        assert_eq!(decide(&failures(4, 0), NOW), Decision::Allow);
    }

    #[test]
    fn five_failures_slow_down() {
        assert_eq!(decide(&failures(5, 0), NOW), Decision::Wait(30));
        assert_eq!(decide(&failures(5, 10), NOW), Decision::Wait(20));
        assert_eq!(decide(&failures(5, 30), NOW), Decision::Allow);
        assert_eq!(decide(&failures(9, 0), NOW), Decision::Wait(150));
    }

    #[test]
    fn ten_failures_lock_for_fifteen_minutes() {
        assert_eq!(decide(&failures(10, 0), NOW), Decision::Locked(900));
        assert_eq!(decide(&failures(10, 899), NOW), Decision::Locked(1));
        assert!(locks_now(&failures(10, 0)));
        assert!(!locks_now(&failures(9, 0)));
    }

    #[test]
    fn a_lock_lasts_even_when_its_first_failures_age_out() {
        // Ten failures over 14 minutes, the last one 10 minutes ago: still locked.
        let spread: Vec<i64> = (0..10).map(|i| NOW - 600 - (9 - i) * 90).collect();
        assert_eq!(decide(&spread, NOW), Decision::Locked(300));
    }

    #[test]
    fn old_failures_are_forgotten() {
        assert_eq!(decide(&failures(10, LOCK_SECS), NOW), Decision::Allow);
        assert_eq!(decide(&failures(9, WINDOW_SECS), NOW), Decision::Allow);
    }

    #[test]
    fn the_stricter_decision_wins() {
        use Decision::*;
        assert_eq!(Allow.max(Wait(3)), Wait(3));
        assert_eq!(Wait(300).max(Locked(3)), Locked(3));
        assert_eq!(Wait(3).max(Wait(5)), Wait(5));
    }
}
