/** Every database the emulator has seen, keyed by project and database id, created on first use. */
import { type DatabaseId, databaseKey } from "../shared/resource-path.js";
import { MemoryStore } from "./memory-store.js";
import { Transactions } from "./transactions.js";

export interface Database {
  id: DatabaseId;
  store: MemoryStore;
  transactions: Transactions;
}

export class Databases {
  private readonly byKey = new Map<string, Database>();
  private readonly created = new Set<(db: Database) => void>();

  get(id: DatabaseId): Database {
    const key = databaseKey(id);
    let db = this.byKey.get(key);
    if (!db) {
      db = { id: { ...id }, store: new MemoryStore(), transactions: new Transactions() };
      this.byKey.set(key, db);
      for (const hook of this.created) hook(db);
    }
    return db;
  }

  list(): Database[] {
    return [...this.byKey.values()];
  }

  forProject(project: string): Database[] {
    return this.list().filter((db) => db.id.project === project);
  }

  /** Runs `hook` for every database, existing and future (used to attach change listeners). */
  onDatabase(hook: (db: Database) => void): void {
    this.created.add(hook);
    for (const db of this.byKey.values()) hook(db);
  }
}
