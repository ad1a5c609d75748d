// TermUI: a small terminal UI toolkit.
//
// The pieces, bottom up:
// - Geometry: `Rect` with `rows(...)`/`columns(...)` splits (`.fixed`, `.percent`, `.fill`), `inset`, `centered`.
// - Looks: `Style` (palette colours + bold/dim/reverse/underline), `Role`s mapped by a `Theme`,
//   `Symbols` (Unicode or ASCII glyphs, borders included). `Theme.make(for: backend.capabilities)`.
// - `Buffer`: cells (grapheme, style, width) written width-aware and clipped; `diff(from:)`; `lines()`;
//   `cursor` (where the terminal cursor goes; focused text fields set it).
// - Widgets render into a buffer area: `render(area, into: &buffer, theme:)`. Stateful widgets are values that
//   live in the app's state; their `handle(key)` mutates them and says whether the key was used
//   (`Bool`, or `KeyResult` with an action for the app: ListEditor, ButtonRow, Dialog).
// - `Backend` (TermCurses' `CursesBackend`, or `HeadlessScreen` in tests) draws frames and reads `Event`s;
//   `Terminal` wraps one for the usual loop:
//
//       let terminal = Terminal(backend: try CursesBackend())
//       while !state.done {
//           terminal.draw { buffer in view(state, &buffer, terminal.theme) }
//           let effects = update(&state, terminal.nextEvent(tick: .milliseconds(100)))
//           perform(effects)
//       }
//
// Key routing convention: give a key to the focused widget first; if it returns false/`.ignored`,
// handle it at the next level (form focus, then screen navigation, then global keys like F10).
