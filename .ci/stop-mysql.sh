#!/usr/bin/env bash
# .ci/stop-mysql.sh: stops the MySQL 8 server that .ci/databases.sh started (by the
# pid in its pid file: SIGTERM, a clean shutdown; SIGKILL after 60s). Keeps the
# unpacked binaries and the data dir, so the next `source .ci/databases.sh` starts it
# again in a few seconds. Run it (bash .ci/stop-mysql.sh) or source it.
# Uses the same XCOMDB_MYSQL_HOME / XCOMDB_CACHE defaults as .ci/databases.sh.

# a process that exists and is not a zombie (a zombie's /proc entry lingers)
_xdb_alive() {
  local st
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "${st%% *}" != Z ]
}

xcomdb_stop_mysql() {
  local home pidf pid i
  if [ -n "${XCOMDB_MYSQL_HOME:-}" ]; then
    home=$XCOMDB_MYSQL_HOME
  elif [ "$(id -u)" -eq 0 ]; then
    home="${XCOMDB_CACHE:-/var/cache/xcomdb}/mysql-8.0.12"
  else
    home="${XCOMDB_CACHE:-$HOME/.cache/xcomdb}/mysql-8.0.12"
  fi
  pidf="$home/run/mysqld.pid"
  pid=$(tr -dc 0-9 <"$pidf" 2>/dev/null)
  # only a live process that is our mysqld (pids get reused)
  if [ -z "$pid" ] || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$home/dist/bin/mysqld"; then
    echo "[databases] mysql: not running (no live mysqld for pid file $pidf)" >&2
    return 0
  fi
  echo "[databases] mysql: stopping mysqld pid $pid" >&2
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < 120; i++)); do
    _xdb_alive "$pid" || break
    sleep 0.5
  done
  if _xdb_alive "$pid"; then
    echo "[databases] mysql: still running after 60s, killing pid $pid (log: $home/log/mysqld.log)" >&2
    kill -KILL "$pid" 2>/dev/null
    sleep 1
  fi
  if _xdb_alive "$pid"; then
    echo "[databases] mysql: FAILED to stop pid $pid" >&2
    return 1
  fi
  echo "[databases] mysql: stopped" >&2
}

xcomdb_stop_mysql || return 1 2>/dev/null || exit 1
