# Sourced by .ci/run: a throwaway PostgreSQL for the lab's persistence tests (LabStoreTest runs
# on H2 and on PostgreSQL). Installs Debian's postgresql if missing, starts a private cluster on
# a free port in a temporary folder, creates a role and a database, exports JPB_TEST_PG_URL,
# JPB_TEST_PG_USER and JPB_TEST_PG_PASSWORD, and stops and deletes the cluster on exit.
# By hand: `source .ci/postgres.sh; mvn -B -pl pb-examples -am verify` (as root or any user).

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq postgresql
fi
JPB_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
JPB_PG_DIR=$(mktemp -d /tmp/jpb-pg.XXXXXX)
JPB_PG_PORT=55432
while (echo >"/dev/tcp/127.0.0.1/$JPB_PG_PORT") 2>/dev/null; do
  JPB_PG_PORT=$((JPB_PG_PORT + 1))
done
if [ "$(id -u)" = 0 ]; then
  chown postgres "$JPB_PG_DIR"
  jpb_pg() { runuser -u postgres -- "$@"; }
else
  jpb_pg() { "$@"; }
fi
jpb_pg "$JPB_PG_BIN/initdb" -D "$JPB_PG_DIR/data" -U postgres --auth-local=trust \
  --auth-host=scram-sha-256 >"$JPB_PG_DIR/initdb.log"
jpb_pg "$JPB_PG_BIN/pg_ctl" -D "$JPB_PG_DIR/data" -l "$JPB_PG_DIR/server.log" -w \
  -o "-p $JPB_PG_PORT -k $JPB_PG_DIR -c listen_addresses=127.0.0.1" start >/dev/null
jpb_pg_stop() {
  jpb_pg "$JPB_PG_BIN/pg_ctl" -D "$JPB_PG_DIR/data" -m fast -w stop >/dev/null || true
  rm -rf "$JPB_PG_DIR"
}
trap jpb_pg_stop EXIT
JPB_TEST_PG_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
jpb_pg "$JPB_PG_BIN/psql" -q -h "$JPB_PG_DIR" -p "$JPB_PG_PORT" -U postgres -d postgres \
  -v ON_ERROR_STOP=1 \
  -c "create role jpb_lab login password '$JPB_TEST_PG_PASSWORD'" \
  -c "create database jpb_lab owner jpb_lab"
export JPB_TEST_PG_URL="jdbc:postgresql://127.0.0.1:$JPB_PG_PORT/jpb_lab"
export JPB_TEST_PG_USER=jpb_lab
export JPB_TEST_PG_PASSWORD
echo "== PostgreSQL $("$JPB_PG_BIN/postgres" --version | awk '{print $3}') for the tests:" \
  "$JPB_TEST_PG_URL"
