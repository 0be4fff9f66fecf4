# shellcheck shell=bash
# A PostgreSQL server for the suite (sourced by .ci/run): the tests create and drop their own databases
# on 127.0.0.1:5432 as the user postgres with trust authentication (test/support/databases.ts). When
# nothing answers there, Debian's packages are installed and a throw-away server is started on that
# port, its data in a temporary folder; stop_postgres stops it again.

# Whether something accepts TCP connections on 127.0.0.1:$1.
postgres_answers() { # port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The newest installed PostgreSQL's bin folder (Debian keeps each major version apart).
postgres_bin() {
  local bins
  bins=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V) || true
  [ -n "$bins" ] && printf '%s\n' "$bins" | tail -n 1
}

install_postgres() {
  if [ -n "$(postgres_bin)" ]; then return 0; fi
  echo "== installing PostgreSQL from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-common >/dev/null
  # No "main" cluster from the server package: the server is started below, on the suite's terms.
  if grep -q '^#\? *create_main_cluster' /etc/postgresql-common/createcluster.conf; then
    sed -i 's/^#\? *create_main_cluster.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  else
    echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

POSTGRES_DATA=""

# Starts a server on 127.0.0.1:$1 with trust authentication, run as the postgres user, its data in a
# temporary folder; returns once it accepts connections.
start_postgres() { # port
  local port=$1 bin
  install_postgres
  bin=$(postgres_bin)
  # A cluster the package started anyway (an older postgresql-common) would hold the port.
  if postgres_answers "$port" && command -v pg_lsclusters >/dev/null; then
    pg_lsclusters -h | while read -r version name cluster_port _; do
      if [ "$cluster_port" = "$port" ]; then pg_ctlcluster "$version" "$name" stop || true; fi
    done
  fi
  POSTGRES_DATA=$(mktemp -d /tmp/portal-ops-postgres.XXXXXX)
  chown postgres:postgres "$POSTGRES_DATA"
  runuser -u postgres -- "$bin/initdb" --pgdata="$POSTGRES_DATA/data" --username=postgres --auth=trust --encoding=UTF8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" --pgdata="$POSTGRES_DATA/data" --log="$POSTGRES_DATA/server.log" \
    --options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$POSTGRES_DATA -c max_connections=200" \
    --wait start >/dev/null
  local tries=0
  until runuser -u postgres -- "$bin/pg_isready" --host=127.0.0.1 --port="$port" --username=postgres --quiet; do
    tries=$((tries + 1))
    if [ "$tries" -gt 60 ]; then
      echo "PostgreSQL did not come up on 127.0.0.1:$port; its log:" >&2
      cat "$POSTGRES_DATA/server.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $POSTGRES_DATA)"
}

stop_postgres() {
  [ -n "$POSTGRES_DATA" ] || return 0
  runuser -u postgres -- "$(postgres_bin)/pg_ctl" --pgdata="$POSTGRES_DATA/data" --mode=fast --wait stop >/dev/null || true
  rm -rf "$POSTGRES_DATA"
  POSTGRES_DATA=""
}

# The server the suite uses: the one on 127.0.0.1:5432 when something answers there, else one started here.
ensure_postgres() {
  if postgres_answers 5432; then
    echo "== PostgreSQL: using the server on 127.0.0.1:5432"
    return 0
  fi
  start_postgres 5432
}
