/*
 * Persistence of the record store (srdb1). Write-through: every change of
 * the store is written to the table before the change is acknowledged, but
 * after the store's slot lock is released, so each operation is guarded
 * by the record's generation: a write replaces only an older or equal
 * generation, a removal removes only those, an expiry update touches only
 * its own generation. With SQLite and PostgreSQL a replace is one guarded
 * upsert statement, for a whole batch of rows at once (lib/ifo/ifo_sql.h);
 * with other drivers, and for values that statement cannot carry, it is a
 * guarded delete followed by an insert where no newer row is left, the
 * only form every driver offers (db_sqlite has neither replace nor
 * insert_update).
 *
 * Each process opens its own connection on first use: writes come from
 * SIP workers, from cdp workers (the async SAR-reply route runs there, and
 * cdp forks them without module child_init) and from the timer process.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/pt.h"
#include "lib/srdb1/db.h"

#include "ifo/ifo_err.h"
#include "ifo/ifo_record.h"
#include "ifo/ifo_seal.h"
#include "ifo/ifo_sql.h"

#include "ifs_config.h"
#include "ifs_db.h"
#include "ifs_stats.h"
#include "ifs_uri.h"

#define IFS_DB_FETCH_ROWS 500
/* upsert(): the driver or the values need guarded_put() instead */
#define IFS_DB_UPSERT_NA -2

static str col_contact = str_init("contact");
static str col_aor = str_init("aor");
static str col_node = str_init("node");
static str col_keyid = str_init("keyid");
static str col_generation = str_init("generation");
static str col_expires = str_init("expires");
static str col_record = str_init("record");

enum
{
	C_CONTACT,
	C_AOR,
	C_NODE,
	C_KEYID,
	C_GENERATION,
	C_EXPIRES,
	C_RECORD,
	C_NUM
};

static db_key_t ifs_cols[C_NUM] = {&col_contact, &col_aor, &col_node,
		&col_keyid, &col_generation, &col_expires, &col_record};

static db_func_t ifs_dbf;
static db1_con_t *ifs_dbh = NULL;
static int ifs_dbh_pid = 0;

/* sqlite has no busy timeout in db_sqlite: two processes writing at once
 * get SQLITE_BUSY. A shm lock around each write serialises the writers of
 * a file back-end; server back-ends do without it. */
static gen_lock_t *ifs_db_wlock = NULL;

static int db_on(void)
{
	return ifs_cfg.db_mode != IFS_DB_NONE;
}

static int db_is_sqlite(void)
{
	return ifs_cfg.db_url.len > 7 && strncmp(ifs_cfg.db_url.s, "sqlite:", 7) == 0;
}

static void db_close(void)
{
	if(ifs_dbh && ifs_dbh_pid == my_pid())
		ifs_dbf.close(ifs_dbh);
	/* a handle of another process (inherited) is only forgotten: closing
	 * it would close the parent's socket too */
	ifs_dbh = NULL;
	ifs_dbh_pid = 0;
}

/* Connection of this process, opened on first use; table selected. */
static int db_ensure(void)
{
	if(ifs_dbh == NULL || ifs_dbh_pid != my_pid()) {
		ifs_dbh = ifs_dbf.init(&ifs_cfg.db_url);
		if(ifs_dbh == NULL) {
			/* never print db_url: it may hold a password */
			LM_ERR("cannot connect to the database for table %.*s\n",
					ifs_cfg.db_table.len, ifs_cfg.db_table.s);
			return -1;
		}
		ifs_dbh_pid = my_pid();
	}
	if(ifs_dbf.use_table(ifs_dbh, &ifs_cfg.db_table) < 0) {
		LM_ERR("cannot use table %.*s\n", ifs_cfg.db_table.len,
				ifs_cfg.db_table.s);
		db_close();
		return -1;
	}
	return 0;
}

static void db_wlock(void)
{
	if(ifs_db_wlock)
		lock_get(ifs_db_wlock);
}

static void db_wunlock(void)
{
	if(ifs_db_wlock)
		lock_release(ifs_db_wlock);
}

static void db_failed(const char *op, const str *contact)
{
	update_stat(ifs_st_db_errors, 1);
	LM_ERR("database %s failed for contact %.*s\n", op, contact->len,
			contact->s);
	/* the next operation reconnects: a broken connection stays broken */
	db_close();
}

/* A query that returns no row; it still fails on a missing table or
 * column, and it makes the driver load the schema. */
static int db_probe(void)
{
	db_val_t v;
	db1_res_t *res = NULL;
	int rc;

	memset(&v, 0, sizeof(v));
	VAL_TYPE(&v) = DB1_STR;
	VAL_STR(&v).s = "";
	VAL_STR(&v).len = 0;
	rc = ifs_dbf.query(ifs_dbh, ifs_cols, 0, &v, ifs_cols, 1, C_NUM, 0, &res);
	if(res)
		ifs_dbf.free_result(ifs_dbh, res);
	return rc;
}

int ifs_db_init(void)
{
	int rc;

	if(!db_on())
		return 0;
	if(ifs_cfg.db_url.len <= 0 || ifs_cfg.db_table.len <= 0) {
		LM_ERR("db_url and db_table must be set (or db_mode 0)\n");
		return -1;
	}
	if(db_bind_mod(&ifs_cfg.db_url, &ifs_dbf) < 0) {
		LM_ERR("cannot bind a database driver for db_url (is its db_* "
			   "module loaded?)\n");
		return -1;
	}
	if(!DB_CAPABILITY(ifs_dbf,
			   DB_CAP_QUERY | DB_CAP_INSERT | DB_CAP_DELETE | DB_CAP_UPDATE)) {
		LM_ERR("the database driver lacks query/insert/delete/update\n");
		return -1;
	}
	if(db_ensure() < 0)
		return -1;
	/* catch a schema mistake at start-up, not at the first REGISTER */
	rc = db_probe();
	db_close();
	if(rc < 0) {
		LM_ERR("table %.*s missing or not as in "
			   "kamailio-cfg/sql/ims_ipsec_failover-*.sql\n",
				ifs_cfg.db_table.len, ifs_cfg.db_table.s);
		return -1;
	}
	if(db_is_sqlite()) {
		ifs_db_wlock = lock_alloc();
		if(ifs_db_wlock == NULL || lock_init(ifs_db_wlock) == NULL) {
			LM_ERR("cannot allocate the database write lock\n");
			if(ifs_db_wlock)
				lock_dealloc(ifs_db_wlock);
			ifs_db_wlock = NULL;
			return -1;
		}
	}
	return 0;
}

void ifs_db_child_init(void)
{
	/* Connected here rather than at first use, where the connection and
	 * the schema load would fall on whichever worker serves a takeover's
	 * first claim. A failure is retried at first use. */
	if(db_on() && db_ensure() == 0)
		db_probe();
}

void ifs_db_destroy(void)
{
	db_close();
	if(ifs_db_wlock) {
		lock_destroy(ifs_db_wlock);
		lock_dealloc(ifs_db_wlock);
		ifs_db_wlock = NULL;
	}
}

static void val_str(db_val_t *v, const str *s)
{
	VAL_TYPE(v) = DB1_STR;
	VAL_NULL(v) = 0;
	VAL_STR(v) = *s;
}

static void val_bigint(db_val_t *v, long long n)
{
	VAL_TYPE(v) = DB1_BIGINT;
	VAL_NULL(v) = 0;
	VAL_BIGINT(v) = n;
}

static void row_vals(db_val_t *v, const ifs_rec_t *r)
{
	memset(v, 0, sizeof(*v) * C_NUM);
	val_str(&v[C_CONTACT], &r->contact);
	val_str(&v[C_AOR], &r->aor);
	val_str(&v[C_NODE], &r->node);
	val_str(&v[C_KEYID], &r->keyid);
	/* bigint is signed: a generation >= 2^63 is stored negative and comes
	 * back bit for bit through the cast on load */
	val_bigint(&v[C_GENERATION], (long long)r->generation);
	val_bigint(&v[C_EXPIRES], (long long)r->expires);
	val_str(&v[C_RECORD], &r->text);
}

static int batch_queue(const ifs_rec_t *r);
static int guarded_put(const ifs_rec_t *r);
static int upsert(const ifs_rec_t *const *recs, int n);

/* One row, with the database lock held and the connection up */
static int put_one(const ifs_rec_t *r)
{
	int rc = upsert(&r, 1);

	return rc == IFS_DB_UPSERT_NA ? guarded_put(r) : rc;
}

int ifs_db_write(const ifs_rec_t *r)
{
	int rc;

	if(!db_on())
		return 0;
	if(batch_queue(r) == 0)
		return 0;
	db_wlock();
	rc = db_ensure() == 0 ? put_one(r) : -1;
	db_wunlock();
	if(rc < 0)
		db_failed("write", &r->contact);
	return rc;
}

/* contact = ? AND generation <op> gen */
static void gen_keys(db_val_t *kv, const str *contact, uint64_t gen)
{
	memset(kv, 0, 2 * sizeof(*kv));
	val_str(&kv[0], contact);
	val_bigint(&kv[1], (long long)gen);
}

/* The contact's rows of generation <= *gen, or all of them (gen NULL:
 * the start-up load's unusable rows) */
static int remove_rows(const str *contact, const uint64_t *gen)
{
	db_val_t kv[2];
	db_op_t ops[2] = {OP_EQ, OP_LEQ};
	db_key_t keys[2] = {&col_contact, &col_generation};
	int rc = -1;

	if(!db_on())
		return 0;
	gen_keys(kv, contact, gen ? *gen : 0);
	db_wlock();
	if(db_ensure() == 0
			&& ifs_dbf.delete(ifs_dbh, keys, ops, kv, gen ? 2 : 1) >= 0)
		rc = 0;
	db_wunlock();
	if(rc < 0)
		db_failed("delete", contact);
	return rc;
}

int ifs_db_remove(const str *contact, uint64_t gen)
{
	return remove_rows(contact, &gen);
}

int ifs_db_set_expires(const str *contact, uint64_t gen, time_t expires)
{
	db_val_t kv[2], v;
	db_op_t ops[2] = {OP_EQ, OP_EQ};
	db_key_t keys[2] = {&col_contact, &col_generation};
	db_key_t uk = &col_expires;
	int rc = -1;

	if(!db_on())
		return 0;
	gen_keys(kv, contact, gen);
	memset(&v, 0, sizeof(v));
	val_bigint(&v, (long long)expires);
	db_wlock();
	if(db_ensure() == 0
			&& ifs_dbf.update(ifs_dbh, keys, ops, kv, &uk, &v, 2, 1) >= 0)
		rc = 0;
	db_wunlock();
	if(rc < 0)
		db_failed("update", contact);
	return rc;
}

/* --- batches ------------------------------------------------------------
 * A claim moves a page of records to another node. Written one by one,
 * each row is its own commit and costs a disk sync (SQLite: several), which
 * made the claims most of a takeover's time. Inside a batch, writes are
 * queued (rows copied to pkg) and flushed in one transaction when the batch
 * ends, outside every store lock. Between queueing and flushing, another
 * process may write a newer generation of the same contact (the guarded
 * put leaves it) or remove the record (found by holds() afterwards and
 * undone). A transaction that fails is rolled back and its rows written
 * one by one, so a bad row costs only itself. */

typedef struct batch_row
{
	struct batch_row *next;
	ifs_rec_t r; /* strings point into buf */
	char buf[];
} batch_row_t;

static int batch_on = 0;
static batch_row_t *batch_head = NULL;
static batch_row_t **batch_tail = &batch_head;

static int batch_queue(const ifs_rec_t *r)
{
	batch_row_t *b;
	char *p;
	size_t n;

	if(!batch_on)
		return -1;
	n = r->contact.len + r->aor.len + r->node.len + r->keyid.len + r->text.len;
	b = pkg_malloc(sizeof(*b) + n);
	if(b == NULL) {
		PKG_MEM_ERROR;
		return -1; /* written at once instead */
	}
	memset(b, 0, sizeof(*b));
	b->r.generation = r->generation;
	b->r.expires = r->expires;
	p = b->buf;
#define BATCH_COPY(f)                   \
	do {                                \
		memcpy(p, r->f.s, r->f.len);    \
		b->r.f.s = p;                   \
		b->r.f.len = r->f.len;          \
		p += r->f.len;                  \
	} while(0)
	BATCH_COPY(contact);
	BATCH_COPY(aor);
	BATCH_COPY(node);
	BATCH_COPY(keyid);
	BATCH_COPY(text);
#undef BATCH_COPY
	*batch_tail = b;
	batch_tail = &b->next;
	return 0;
}

void ifs_db_batch_begin(void)
{
	if(db_on())
		batch_on = 1;
}

/* BEGIN/COMMIT/ROLLBACK: the driver's transaction calls where it has them
 * (db_postgres, db_mysql); db_sqlite has none, but runs them as raw SQL. */
static int tx(const char *sql)
{
	str q;
	db1_res_t *res = NULL;
	int rc;

	if(ifs_dbf.start_transaction) {
		if(sql[0] == 'B')
			return ifs_dbf.start_transaction(ifs_dbh, DB_LOCKING_NONE);
		if(sql[0] == 'C')
			return ifs_dbf.end_transaction(ifs_dbh);
		return ifs_dbf.abort_transaction(ifs_dbh);
	}
	if(!db_is_sqlite() || !ifs_dbf.raw_query)
		return -1;
	q.s = (char *)sql;
	q.len = strlen(sql);
	/* db_sqlite runs a raw statement only when asked for its result */
	rc = ifs_dbf.raw_query(ifs_dbh, &q, &res);
	if(res)
		ifs_dbf.free_result(ifs_dbh, res);
	return rc;
}

static int upsert_dialect(void)
{
	if(ifs_dbf.raw_query == NULL)
		return -1;
	if(db_is_sqlite())
		return IFO_SQL_SQLITE;
	if(ifs_cfg.db_url.len > 9 && strncmp(ifs_cfg.db_url.s, "postgres:", 9) == 0)
		return IFO_SQL_POSTGRES;
	return -1;
}

/* recs[0..n) in one guarded upsert statement: 0, -1 when the database
 * refused it, IFS_DB_UPSERT_NA when it cannot be written that way. */
static int upsert(const ifs_rec_t *const *recs, int n)
{
	ifo_sql_row_t *rows;
	db1_res_t *res = NULL;
	char *sql = NULL;
	size_t cap, len = 0;
	str q;
	int d = upsert_dialect(), i, rc = IFS_DB_UPSERT_NA;

	if(d < 0 || n <= 0)
		return IFS_DB_UPSERT_NA;
	rows = pkg_malloc(n * sizeof(*rows));
	if(rows == NULL) {
		PKG_MEM_ERROR;
		return IFS_DB_UPSERT_NA;
	}
	for(i = 0; i < n; i++) {
		const ifs_rec_t *r = recs[i];

		rows[i].contact = (ifo_span_t){r->contact.s, (size_t)r->contact.len};
		rows[i].aor = (ifo_span_t){r->aor.s, (size_t)r->aor.len};
		rows[i].node = (ifo_span_t){r->node.s, (size_t)r->node.len};
		rows[i].keyid = (ifo_span_t){r->keyid.s, (size_t)r->keyid.len};
		rows[i].record = (ifo_span_t){r->text.s, (size_t)r->text.len};
		/* as row_vals(): the signed bigint the table holds */
		rows[i].generation = (int64_t)r->generation;
		rows[i].expires = (int64_t)r->expires;
	}
	cap = ifo_sql_upsert_size(ifs_cfg.db_table.len, rows, n);
	sql = pkg_malloc(cap);
	if(sql == NULL)
		PKG_MEM_ERROR;
	else if(ifo_sql_upsert((ifo_sql_dialect_t)d, ifs_cfg.db_table.s,
					ifs_cfg.db_table.len, rows, n, sql, cap, &len)
			== IFO_OK) {
		q.s = sql;
		q.len = (int)len;
		rc = ifs_dbf.raw_query(ifs_dbh, &q, &res) < 0 ? -1 : 0;
		if(res)
			ifs_dbf.free_result(ifs_dbh, res);
	}
	if(sql)
		pkg_free(sql);
	pkg_free(rows);
	return rc;
}

/* Deletes the contact's rows of an older or equal generation, then
 * inserts r unless a newer row is left. */
static int guarded_put(const ifs_rec_t *r)
{
	db_val_t v[C_NUM], kv[2];
	db_op_t ops[2] = {OP_EQ, OP_LEQ};
	db_key_t keys[2] = {&col_contact, &col_generation};
	db1_res_t *res = NULL;
	int newer;

	row_vals(v, r);
	kv[0] = v[C_CONTACT];
	kv[1] = v[C_GENERATION];
	if(ifs_dbf.delete(ifs_dbh, keys, ops, kv, 2) < 0)
		return -1;
	if(ifs_dbf.query(ifs_dbh, ifs_cols, 0, v, ifs_cols, 1, 1, 0, &res) < 0)
		return -1;
	newer = res && RES_ROW_N(res) > 0;
	if(res)
		ifs_dbf.free_result(ifs_dbh, res);
	if(newer)
		return 0;
	return ifs_dbf.insert(ifs_dbh, ifs_cols, v, C_NUM) < 0 ? -1 : 0;
}

/* The batch in one upsert statement (atomic by itself), else in one
 * transaction of guarded puts: 0, -1 when nothing of it was written. */
static int batch_flush(batch_row_t *rows)
{
	const ifs_rec_t **recs;
	batch_row_t *b;
	int n = 0, rc, ok;

	for(b = rows; b; b = b->next)
		n++;
	recs = pkg_malloc(n * sizeof(*recs));
	if(recs == NULL) {
		PKG_MEM_ERROR;
		rc = IFS_DB_UPSERT_NA;
	} else {
		n = 0;
		for(b = rows; b; b = b->next)
			recs[n++] = &b->r;
		rc = upsert(recs, n);
		pkg_free(recs);
	}
	if(rc != IFS_DB_UPSERT_NA)
		return rc;
	if(tx("BEGIN") < 0)
		return -1;
	ok = 1;
	for(b = rows; b && ok; b = b->next)
		ok = guarded_put(&b->r) == 0;
	if(!ok || tx("COMMIT") < 0) {
		tx("ROLLBACK");
		return -1;
	}
	return 0;
}

void ifs_db_batch_end(int (*holds)(const str *contact, uint64_t gen))
{
	batch_row_t *b, *rows = batch_head;
	int ok = 0;

	batch_on = 0;
	batch_head = NULL;
	batch_tail = &batch_head;
	if(rows == NULL)
		return;
	db_wlock();
	ok = db_ensure() == 0 && batch_flush(rows) == 0;
	db_wunlock();
	if(!ok) {
		LM_WARN("batched write of claimed records failed or is not "
				"supported by the driver: writing them one by one\n");
		db_close();
	}
	while(rows) {
		b = rows;
		rows = rows->next;
		if(!ok) {
			int rc;

			db_wlock();
			rc = db_ensure() == 0 ? put_one(&b->r) : -1;
			db_wunlock();
			if(rc < 0)
				db_failed("write", &b->r.contact);
		}
		if(holds && !holds(&b->r.contact, b->r.generation))
			ifs_db_remove(&b->r.contact, b->r.generation);
		pkg_free(b);
	}
}

/* Text of a column whatever type the driver maps the declared type to
 * (sqlite: varchar -> DB1_STRING, text -> DB1_STR). */
static int row_str(db_val_t *v, str *out)
{
	out->s = NULL;
	out->len = 0;
	if(VAL_NULL(v))
		return 0;
	switch(VAL_TYPE(v)) {
		case DB1_STRING:
			out->s = (char *)VAL_STRING(v);
			out->len = out->s ? strlen(out->s) : 0;
			return 0;
		case DB1_STR:
			*out = VAL_STR(v);
			return 0;
		case DB1_BLOB:
			*out = VAL_BLOB(v);
			return 0;
		default:
			return -1;
	}
}

static int row_ll(db_val_t *v, long long *out)
{
	str s;
	char buf[24];

	*out = 0;
	if(VAL_NULL(v))
		return -1;
	switch(VAL_TYPE(v)) {
		case DB1_INT:
			*out = VAL_INT(v);
			return 0;
		case DB1_BIGINT:
			*out = VAL_BIGINT(v);
			return 0;
		case DB1_STRING:
		case DB1_STR:
			if(row_str(v, &s) < 0 || s.len <= 0 || s.len >= (int)sizeof(buf))
				return -1;
			memcpy(buf, s.s, s.len);
			buf[s.len] = '\0';
			*out = strtoll(buf, NULL, 10);
			return 0;
		default:
			return -1;
	}
}

/* Contacts of rows to delete after the result set is released. */
typedef struct drop_list
{
	str *c;
	int n, max;
} drop_list_t;

static void drop_add(drop_list_t *d, const str *contact)
{
	str *nc;

	if(d->n == d->max) {
		nc = pkg_realloc(d->c, (d->max ? 2 * d->max : 16) * sizeof(str));
		if(nc == NULL) {
			PKG_MEM_ERROR;
			return;
		}
		d->c = nc;
		d->max = d->max ? 2 * d->max : 16;
	}
	d->c[d->n].s = pkg_malloc(contact->len + 1);
	if(d->c[d->n].s == NULL) {
		PKG_MEM_ERROR;
		return;
	}
	memcpy(d->c[d->n].s, contact->s, contact->len);
	d->c[d->n].len = contact->len;
	d->n++;
}

/* One row into the store, or onto the drop list. 1 loaded, 0 dropped. */
static int load_row(db_val_t *v, time_t now, drop_list_t *drop)
{
	ifo_header_t h;
	ifs_rec_t in;
	str contact, hc;
	long long exp;
	int rc;

	memset(&in, 0, sizeof(in));
	if(row_str(&v[C_CONTACT], &contact) < 0 || contact.len <= 0) {
		LM_WARN("row without contact ignored\n");
		return 0;
	}
	if(row_str(&v[C_RECORD], &in.text) < 0 || row_str(&v[C_AOR], &in.aor) < 0
			|| row_ll(&v[C_EXPIRES], &exp) < 0) {
		LM_WARN("row of contact %.*s unreadable: dropped\n", contact.len,
				contact.s);
		goto drop;
	}
	/* the index columns are only a copy: the sealed header is what the
	 * P-CSCF will check, so node, key id and generation come from it */
	rc = ifo_peek(in.text.s, in.text.len, &h);
	if(rc != IFO_OK) {
		LM_WARN("row of contact %.*s holds no valid record (%s): dropped\n",
				contact.len, contact.s, ifo_strerror(rc));
		goto drop;
	}
	hc.s = h.contact;
	hc.len = strlen(h.contact);
	if(!ifs_uri_contact_matches(&contact, &hc)) {
		LM_WARN("row of contact %.*s holds a record of another contact: "
				"dropped\n",
				contact.len, contact.s);
		goto drop;
	}
	in.contact = contact;
	in.node.s = h.node;
	in.node.len = strlen(h.node);
	in.keyid.s = h.keyid;
	in.keyid.len = strlen(h.keyid);
	in.generation = h.generation;
	in.rec_expires = (time_t)h.expires;
	in.expires = ifs_effective_expires((time_t)exp, in.rec_expires);
	if(in.expires <= now) {
		LM_DBG("row of contact %.*s expired while stopped: dropped\n",
				contact.len, contact.s);
		goto drop;
	}
	if(ifs_store_put(&in, 0, NULL) == IFS_PUT_ERROR) {
		LM_ERR("no memory to load the record of %.*s\n", contact.len,
				contact.s);
		return 0;
	}
	return 1;
drop:
	drop_add(drop, &contact);
	return 0;
}

int ifs_db_load(void)
{
	db1_res_t *res = NULL;
	drop_list_t drop = {NULL, 0, 0};
	time_t now = time(NULL);
	int i, fetch, loaded = 0, ret = 0;

	if(!db_on())
		return 0;
	if(db_ensure() < 0)
		return -1;
	fetch = db_fetch_query(&ifs_dbf, IFS_DB_FETCH_ROWS, ifs_dbh, 0, 0, 0,
			ifs_cols, 0, C_NUM, 0, &res);
	if(fetch < 0) {
		LM_ERR("cannot read table %.*s\n", ifs_cfg.db_table.len,
				ifs_cfg.db_table.s);
		db_close();
		return -1;
	}
	while(res && RES_ROW_N(res) > 0) {
		for(i = 0; i < RES_ROW_N(res); i++)
			loaded += load_row(ROW_VALUES(RES_ROWS(res) + i), now, &drop);
		if(fetch == 0)
			break; /* the driver returned every row at once */
		if(db_fetch_next(&ifs_dbf, IFS_DB_FETCH_ROWS, ifs_dbh, &res) < 0) {
			LM_ERR("cannot read table %.*s to the end\n", ifs_cfg.db_table.len,
					ifs_cfg.db_table.s);
			ret = -1;
			break;
		}
	}
	if(res)
		ifs_dbf.free_result(ifs_dbh, res);
	/* the rows were read with a live result set; delete only now */
	for(i = 0; i < drop.n; i++) {
		remove_rows(&drop.c[i], NULL);
		pkg_free(drop.c[i].s);
	}
	if(drop.c)
		pkg_free(drop.c);
	LM_INFO("loaded %d records from %.*s, dropped %d expired or invalid\n",
			loaded, ifs_cfg.db_table.len, ifs_cfg.db_table.s, drop.n);
	/* this process forks nothing, but close anyway: the connection was
	 * only needed for start-up */
	db_close();
	return ret < 0 ? -1 : loaded;
}
