# shellcheck shell=bash
# IMS test bed: start, stop and query the Kamailio instances and keepalived.
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every instance runs in its node's namespace, in its own process group
# (so one signal reaches all its processes), with its runtime files under
# /run/bed/<node> (pid file, ctl socket) and its log in $BED_OUT/<node>.log.

# kam_defines NODE: the -A options of NODE's configuration
kam_defines() {
	local n=$1 d=$BED_RUN/$1
	printf '%s\n' -A "CTL_SOCK=\"unix:$d/ctl.sock\""
	case $n in
	pcscf*)
		# the virtual address this instance serves (A, or B when active-active)
		local v=${BED_SERVES[$n]}
		printf '%s\n' -A "NODE_ID=\"$n\"" \
			-A "PCSCF_IP=\"$(BED_UE_FAMILY=4 bed_vip "$v")\"" \
			-A "PCSCF_HOST=\"$(bed_vip_host "$v")\"" \
			-A "SCSCF_URI=\"sip:scscf.$BED_DOMAIN:$SCSCF_PORT\"" \
			-A "IMS_DOMAIN=\"$BED_DOMAIN\"" \
			-A "IPSEC_CLIENT_PORT=$IPSEC_CLIENT_PORT" \
			-A "IPSEC_SERVER_PORT=$IPSEC_SERVER_PORT" \
			-A "IPSEC_MAX_CONN=$IPSEC_MAX_CONN" \
			-A "SPI_START=${BED_SPI_START[$n]}" \
			-A "SPI_RANGE=$BED_SPI_RANGE" \
			-A "WORKERS=2"
		[ "$BED_UE_FAMILY" = 6 ] && printf '%s\n' -A "PCSCF_IP6=\"$(bed_vip "$v")\""
		if [ "${BED_PCSCF_DB:-0}" = 1 ]; then
			printf '%s\n' -A WITH_USRLOC_DB \
				-A "USRLOC_DB_URL=\"sqlite://$d/usrloc.sqlite\""
		fi
		if [ "$BED_FAILOVER" = 1 ]; then
			printf '%s\n' -A WITH_IPSEC_FAILOVER \
				-A "IPSEC_FAILOVER_KEYS=\"${BED_KEY_FILE:-$BED_RUN/failover.keys}\"" \
				-A "IPSEC_FAILOVER_STATE=\"$d/spi.state\"" \
				-A "SCSCF_FAILOVER=\"${BED_IP4[scscf]}:$SCSCF_PORT\"" \
				-A "IPSEC_FAILOVER_TIMEOUT=${BED_FETCH_TIMEOUT:-5000}" \
				-A "IPSEC_FAILOVER_PAGE=${BED_FETCH_PAGE:-100}"
			# BED_ADDRESS_WATCH=0: takeovers start from the notify script only
			if [ "${BED_ADDRESS_WATCH:-1}" = 1 ]; then
				printf '%s\n' -A "IPSEC_FAILOVER_PEERS=\"${BED_PEERS[$n]}\""
			fi
		fi
		;;
	scscf)
		printf '%s\n' -A "SCSCF_IP=\"${BED_IP4[scscf]}\"" \
			-A "SCSCF_PORT=$SCSCF_PORT" \
			-A "SCSCF_HOST=\"scscf.$BED_DOMAIN\"" \
			-A "SCSCF_URI=\"sip:scscf.$BED_DOMAIN:$SCSCF_PORT\"" \
			-A "IMS_DOMAIN=\"$BED_DOMAIN\"" \
			-A "SCSCF_DIAMETER_XML=\"$BED_CFG/scscf-diameter.xml\"" \
			-A "AS_URI=\"sip:${BED_IP4[scscf]}:$AS_PORT\"" \
			-A "WORKERS=2"
		[ -n "${BED_TCP_READ_TIMEOUT:-}" ] &&
			printf '%s\n' -A "TCP_MSG_READ_TIMEOUT=$BED_TCP_READ_TIMEOUT"
		# A test that waits for registrations to expire shortens both.
		[ -n "${BED_REG_MIN_EXPIRES:-}" ] && printf '%s\n' \
			-A "REG_MIN_EXPIRES=$BED_REG_MIN_EXPIRES" \
			-A "UL_TIMER_INTERVAL=${BED_UL_TIMER:-5}"
		[ "$BED_FAILOVER" = 1 ] && [ "${BED_SCSCF_DB:-sqlite}" = postgres ] &&
			printf '%s\n' -A 'IPSEC_FAILOVER_DB_MODULE="db_postgres.so"'
		[ "$BED_FAILOVER" = 1 ] && printf '%s\n' -A WITH_IPSEC_FAILOVER \
			-A "IPSEC_FAILOVER_DB=\"$(scscf_db_url)\"" \
			-A "IPSEC_FAILOVER_VERIFY_KEYS=\"$BED_RUN/failover.verify\"" \
			-A "SCSCF_SERVICE_ROUTE=\"<sip:orig@scscf.$BED_DOMAIN:$SCSCF_PORT;lr>\"" \
			-A "FAILOVER_PEERS=\"^${BED_NET4//./[.]}[.]\""
		;;
	hss)
		printf '%s\n' -A "HSS_SUBSCRIBERS=$BED_SUBSCRIBERS" \
			-A "HSS_DOMAIN=\"$BED_DOMAIN\"" \
			-A "HSS_VECTOR_DB=\"sqlite://$d/vectors.sqlite\"" \
			-A "HSS_DIAMETER_XML=\"$BED_CFG/hss-diameter.xml\""
		;;
	esac
}

# kam_cfg NODE: the configuration file NODE runs
kam_cfg() {
	case $1 in
	pcscf*) echo "$BED_CFG/pcscf.cfg" ;;
	*) echo "$BED_CFG/$1.cfg" ;;
	esac
}

# kam_start NODE [keep]: start NODE's Kamailio and wait until it answers RPC
# (keep: the S-CSCF keeps its record database from before).
kam_start() {
	local n=$1 d=$BED_RUN/$1 log=$BED_OUT/$1.log shm=64 pkg=8 up=60
	local -a defs
	mkdir -p "$d"
	mapfile -t defs < <(kam_defines "$n")
	case $n in
	hss)
		hss_vectors "$d/vectors.sqlite" || return 1
		# it reads every subscriber's row into its own memory at start-up
		pkg=$((BED_SUBSCRIBERS > 100 ? 8 + BED_SUBSCRIBERS / 40 : 8))
		;;
	scscf)
		# registrations, their contacts and records: a few KB per UE
		shm=$((BED_UES > 4000 ? 32 + BED_UES / 128 : 64))
		# "kam_start scscf keep": a restart that keeps the records' database
		if [ "$BED_FAILOVER" = 1 ] && [ "${BED_SCSCF_DB:-sqlite}" = postgres ]; then
			pg_up || return 1
			[ "${2:-}" = keep ] || pg_sql -q -c "DROP TABLE IF EXISTS ims_ipsec_failover" \
				-f "$BED_CFG/sql/ims_ipsec_failover-postgres.sql" || return 1
		elif [ "${2:-}" != keep ]; then
			rm -f "$d/failover.sqlite"
			[ "$BED_FAILOVER" = 1 ] && sqlite3 "$d/failover.sqlite" \
				<"$BED_CFG/sql/ims_ipsec_failover-sqlite.sql" >/dev/null
		fi
		;;
	pcscf*)
		shm=$((BED_UES > 8000 ? 64 + BED_UES / 128 : 128))
		# the stock ims_ipsec_pcscf forks a worker per protected UDP port
		up=$((IPSEC_MAX_CONN > 200 ? IPSEC_MAX_CONN / 3 : 60))
		# ... and keeps four socket entries per port in its own memory
		pkg=$((8 + IPSEC_MAX_CONN / 64))
		if [ "${BED_PCSCF_DB:-0}" = 1 ]; then
			rm -f "$d/usrloc.sqlite"
			sqlite3 "$d/usrloc.sqlite" <"$BED_LIB/pcscf-usrloc.sql"
		fi
		;;
	esac
	rm -f "$d/kamailio.pid" "$d/ctl.sock"
	echo "=== $(date +%T) start" >>"$log"
	# setsid: own process group; -DD: the main process stays in the
	# foreground of that group; -E: log to stderr, i.e. the log file.
	setsid ip netns exec "$n" kamailio -f "$(kam_cfg "$n")" \
		-L "$REPO/modules:$KAM_MODULES" -P "$d/kamailio.pid" -Y "$d" \
		-m "$shm" -M "$pkg" -DD -E "${defs[@]}" ${BED_DEBUG:+-A DEBUG_LEVEL=$BED_DEBUG} \
		</dev/null >>"$log" 2>&1 &
	echo $! >"$d/pgid"
	# kam_kill reaps it by process group; without this, bash prints a job
	# line ("Killed  setsid ip netns exec ...") into the test's output.
	disown $!
	if ! wait_for "$up" "$n Kamailio" kam_ready "$n"; then
		tail_logs "$log"
		return 1
	fi
	if ! kam_cmd "$n" core.version >/dev/null 2>&1; then
		bed_log "$n Kamailio did not start"
		tail_logs "$log"
		return 1
	fi
}

# hss_vectors FILE: the HSS's precomputed AKA vectors, BED_HSS_VECTORS
# (SQN 1..n) for each of the BED_SUBSCRIBERS subscribers, in one
# milenage-vector --batch run. Each registration and re-registration of a
# UE uses one.
hss_vectors() {
	python3 - "$1" "$MILENAGE" "$BED_SUBSCRIBERS" "$BED_HSS_VECTORS" \
		"$BED_DOMAIN" "$BED_OP_TEXT" "$BED_AMF_TEXT" <<'PY' || {
import sqlite3, subprocess, sys
db, milenage, subs, nvec, domain, op, amf = sys.argv[1:]
subs, nvec = int(subs), int(nvec)
keys, lines = [], []
for i in range(1, subs + 1):
    k = ("bed-k-%010d" % i).encode().hex()  # ue_k_text
    for q in range(1, nvec + 1):
        keys.append("ue%06d@%s:%d" % (i, domain, q))
        lines.append("--k %s --op %s --amf %s --sqn %012x\n"
                     % (k, op.encode().hex(), amf.encode().hex(), q))
out = subprocess.run([milenage, "--batch"], input="".join(lines), text=True,
                     capture_output=True, check=True).stdout.splitlines()
if len(out) != len(keys) or any("error" in o for o in out):
    sys.exit("milenage-vector --batch failed")
con = sqlite3.connect(db)
con.execute("DROP TABLE IF EXISTS hss_vectors")
con.execute("CREATE TABLE hss_vectors (id INTEGER PRIMARY KEY, key_name TEXT,"
            " key_type INTEGER DEFAULT 0, value_type INTEGER DEFAULT 0,"
            " key_value TEXT, expires INTEGER DEFAULT 0)")
con.executemany("INSERT INTO hss_vectors (key_name, key_value) VALUES (?, ?)",
                zip(keys, out))
con.commit()
PY
		bed_log "cannot build the HSS vector table"
		return 1
	}
}

# kam_ready NODE: NODE answers RPC, or its Kamailio is gone (then waiting
# longer is pointless). The recorded pid is Kamailio's main process (setsid
# and ip netns exec exec it); on a loaded machine it may not have made its
# process group yet, so the group alone does not tell.
kam_ready() {
	local pg
	kam_cmd "$1" core.version >/dev/null 2>&1 && return 0
	read -r pg 2>/dev/null <"$BED_RUN/$1/pgid" || return 0
	kill -0 "$pg" 2>/dev/null && return 1
	! pgrep -g "$pg" >/dev/null
}

# kam_cmd NODE RPC ARGS...: kamcmd against NODE's ctl socket. kamcmd has
# no time limit of its own: a Kamailio that stops answering must fail the
# check that asked, not hang the suite until its time runs out.
kam_cmd() {
	local n=$1 rc
	shift
	timeout 60 kamcmd -s "unix:$BED_RUN/$n/ctl.sock" "$@"
	rc=$?
	[ "$rc" -ne 124 ] || bed_log "no answer from $n to kamcmd $1 within 60 s"
	return "$rc"
}

# kam_takeover NODE PEER: NODE takes PEER's UEs over the way keepalived
# has it done: the shipped notify script asks for the takeover and follows
# it to its end (a new one, even right after another: -j 0). Its outcome
# line on stdout; 0 when the takeover is done.
kam_takeover() {
	"$REPO/kamailio-cfg/keepalived/ipsec-failover-notify" \
		-s "unix:$BED_RUN/$1/ctl.sock" -t 300 -j 0 "$2"
}

# kam_procs NODE [PATTERN]: NODE's Kamailio processes (core.psx), or
# those whose description matches the extended regexp PATTERN
kam_procs() {
	kam_cmd "$1" core.psx 2>/dev/null | grep -E '^[[:space:]]*DSC:' |
		grep -c -E "${2:-.}" || true
}

# kam_alive NODE: is NODE's Kamailio main process there?
kam_alive() {
	local pid
	read -r pid 2>/dev/null <"$BED_RUN/$1/kamailio.pid" || return 1
	kill -0 "$pid" 2>/dev/null
}

# kam_kill NODE [SIGNAL]: signal all of NODE's Kamailio processes (default
# KILL) and wait until they are gone.
kam_kill() {
	local n=$1 sig=${2:-KILL} pg
	read -r pg 2>/dev/null <"$BED_RUN/$n/pgid" || return 0
	kill -"$sig" -- "-$pg" 2>/dev/null || true
	wait_for 20 "$n Kamailio to exit" bash -c "! pgrep -g $pg >/dev/null" || true
	if pgrep -g "$pg" >/dev/null; then
		kill -KILL -- "-$pg" 2>/dev/null || true
		sleep 0.5
	fi
	rm -f "$BED_RUN/$n/pgid"
}

# kam_stop NODE: graceful stop (SIGTERM), like `systemctl stop`.
kam_stop() { kam_kill "$1" TERM; }

# kam_stat NODE NAME: one statistic's value (e.g. hss_mar_answered)
kam_stat() {
	kam_cmd "$1" stats.get_statistics "$2" 2>/dev/null |
		sed -n "s/.*[:]$2 = \([0-9]*\).*/\1/p; s/^$2 = \([0-9]*\).*/\1/p" | head -1
}

# stat_is NODE NAME VALUE: NODE's statistic NAME is VALUE now (for wait_for)
stat_is() { [ "$(kam_stat "$1" "$2")" = "$3" ]; }

# --- keepalived ---------------------------------------------------------

# vrrp_conf NODE: the example configuration with the bed's values (the
# active-active one names the bed's addresses already)
vrrp_conf() {
	local n=$1 f=$BED_RUN/$1/keepalived.conf
	if [ "$BED_LAYOUT" = active-active ]; then
		[ "$BED_UE_FAMILY" = 4 ] || bed_die "the active-active bed is IPv4 only"
		sed -e "s|^\$SCRIPTS=.*|\$SCRIPTS=$BED_CFG/keepalived|" \
			-e "s|^\$RUNDIR=.*|\$RUNDIR=$BED_RUN|" \
			"$BED_CFG/keepalived/keepalived-pcscf-active-active.conf" >"$f"
		echo "$f"
		return
	fi
	sed -e "s|^\$VIP=.*|\$VIP=$BED_VIP4/24|" \
		-e "s|^\$SCRIPTS=.*|\$SCRIPTS=$BED_CFG/keepalived|" \
		-e "s|^\$RUNDIR=.*|\$RUNDIR=$BED_RUN|" \
		"$BED_CFG/keepalived/keepalived-pcscf.conf" >"$f"
	if [ "$BED_UE_FAMILY" = 6 ]; then
		sed -i "/^\tvirtual_ipaddress {/,/^\t}/{/^\t}/a\\
\tvirtual_ipaddress_excluded {\\
\t\t$BED_VIP6/64 dev eth0\\
\t}
}" "$f"
	fi
	echo "$f"
}

# vrrp_start NODE: keepalived for NODE, in its own process group
vrrp_start() {
	local n=$1 d=$BED_RUN/$1 conf
	mkdir -p "$d"
	conf=$(vrrp_conf "$n")
	echo "=== $(date +%T) start" >>"$BED_OUT/$n-keepalived.log"
	setsid ip netns exec "$n" keepalived -n -l -D -G -P -i "$n" -f "$conf" \
		-p "$d/keepalived.pid" -r "$d/vrrp.pid" \
		</dev/null >>"$BED_OUT/$n-keepalived.log" 2>&1 &
	echo $! >"$d/keepalived.pgid"
	# no job line in the test's output when a crash kills it (node_crash)
	disown $!
}

# vrrp_stop NODE [SIGNAL]: keepalived stopped (default TERM: it gives the
# address up with a goodbye advert; KILL: it dies holding it)
vrrp_stop() {
	local pg
	read -r pg 2>/dev/null <"$BED_RUN/$1/keepalived.pgid" || return 0
	kill -"${2:-TERM}" -- "-$pg" 2>/dev/null || true
	wait_for 10 "$1 keepalived to exit" bash -c "! pgrep -g $pg >/dev/null" ||
		kill -KILL -- "-$pg" 2>/dev/null || true
	rm -f "$BED_RUN/$1/keepalived.pgid"
}

# node_crash NODE: NODE's host dies: its keepalived and Kamailio are
# killed (no goodbye advert, no graceful stop, the SAs stay in its
# kernel) and its link goes down with whatever address it held.
node_crash() {
	local n=$1
	vrrp_stop "$n" KILL
	# stale pid files would make a new keepalived think it runs already
	rm -f "$BED_RUN/$n/keepalived.pid" "$BED_RUN/$n/vrrp.pid"
	kam_kill "$n" KILL
	ip -n "$n" link set eth0 down
}

# node_boot NODE: a crashed NODE's host is back: its link up without the
# virtual addresses it held, then Kamailio (which flushes the SAs it had)
# and keepalived, as the host's boot would start them
node_boot() {
	local n=$1 v
	for v in "$BED_VIP4" "$BED_VIPB4"; do
		ip -n "$n" addr del "$v/24" dev eth0 2>/dev/null || true
	done
	ip -n "$n" link set eth0 up
	topo_routes "$n"
	kam_start "$n" || return 1
	vrrp_start "$n"
}

# vip_holder [A|B]: which P-CSCF namespaces hold that virtual address on a
# link that is up (default A; "" if none, two names in a double master)
vip_holder() {
	local n a h=""
	a=$(BED_UE_FAMILY=4 bed_vip "${1:-A}")
	for n in $BED_PCSCFS; do
		# a crashed node's link is down with the address still on it
		if ip -n "$n" -o addr show dev eth0 up 2>/dev/null | grep -q " $a/"; then
			h="${h:+$h }$n"
		fi
	done
	echo "$h"
}

# vip_held_by NODE [A|B]: true when NODE alone holds the virtual address
vip_held_by() { [ "$(vip_holder "${2:-A}")" = "$1" ]; }

# --- PostgreSQL, for an S-CSCF whose records live there (BED_SCSCF_DB) -----

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

# pg_up: a PostgreSQL server in the scscf namespace on 127.0.0.1 (trust
# authentication), with role and database kamailio; started once per bed
pg_up() {
	local d=$BED_RUN/pg
	[ -f "$d/data/postmaster.pid" ] && return 0
	mkdir -p "$d"
	touch "$BED_OUT/postgres.log"
	chown postgres: "$d" "$BED_OUT/postgres.log"
	runuser -u postgres -- "$PG_BIN/initdb" -D "$d/data" --auth=trust \
		-U postgres >>"$BED_OUT/postgres.log" 2>&1 || return 1
	ip netns exec scscf runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$d/data" \
		-l "$BED_OUT/postgres.log" -w -t 60 \
		-o "-k $d -c listen_addresses=127.0.0.1 -c fsync=off" start \
		>/dev/null || return 1
	ip netns exec scscf psql -q -h 127.0.0.1 -U postgres -d postgres \
		-c "CREATE ROLE kamailio LOGIN" -c "CREATE DATABASE kamailio OWNER kamailio"
}

# scscf_db_url: where the S-CSCF keeps its records
scscf_db_url() {
	if [ "${BED_SCSCF_DB:-sqlite}" = postgres ]; then
		echo "postgres://kamailio:kamailio@127.0.0.1/kamailio"
	else
		echo "sqlite://$BED_RUN/scscf/failover.sqlite"
	fi
}

# pg_sql ARGS...: psql as kamailio on the S-CSCF's database, unaligned
pg_sql() {
	PGOPTIONS=--client-min-messages=warning \
		ip netns exec scscf psql -X -h 127.0.0.1 -U kamailio -d kamailio -tA "$@"
}

# pg_down: stop the server if there is one
pg_down() {
	[ -f "$BED_RUN/pg/data/postmaster.pid" ] || return 0
	runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$BED_RUN/pg/data" -m fast \
		-w stop >/dev/null 2>&1 || true
}
