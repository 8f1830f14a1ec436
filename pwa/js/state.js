// Shared app state: who is logged in on this device, and an event bus the views listen to.
// Events: 'outbox' (counts changed), 'status' (sync status text), 'auth-needed', 'records'.
export const events = new EventTarget();

export const session = {
  staff: null,        // {id, name, role, ...} from the last login, kept in IndexedDB
  school: null,
  deviceId: null,
  authNeeded: false,  // the server said 401: capture goes on, sending waits for a login
  syncStatus: '',
};

// A trust's or local authority's officer (issue 16) works in no school: nothing to capture,
// pull or send, so the sync machinery leaves them alone (the server would refuse it all).
export const worksInSchool = (role) => role !== 'la_viewer';
