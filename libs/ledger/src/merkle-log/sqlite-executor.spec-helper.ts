import Database from 'better-sqlite3';
import type { SqlExecutor } from './merkle-tree.store';

/** A real in-memory SQLite database behind the SqlExecutor surface ($n placeholders → ?n), for specs. */
export function sqliteExecutor(): SqlExecutor {
  const db = new Database(':memory:');
  return {
    query: async <T>(sql: string, params: readonly unknown[] = []) => {
      const statement = db.prepare(sql.replace(/\$(\d+)/g, '@p$1'));
      const named = Object.fromEntries(params.map((value, i) => [`p${i + 1}`, value]));
      return (statement.reader ? statement.all(named) : (statement.run(named), [])) as T[];
    },
    exec: async (sql: string) => {
      db.exec(sql);
    },
  };
}
