/*
 * STAND-IN, NOT JOGET (joget-cluster rehearsal lab, Tests/lab).
 * Rows in the Joget schema, so a test can tell data written before an upgrade from data
 * written after it. Both endpoints connect through the datasource files as
 * /jw/web/json/cluster/db does (Lab.connect) and first run CREATE TABLE IF NOT EXISTS lab_note.
 *
 * GET /jw/web/json/cluster/note?text=TEXT: inserts (text, node, version, created_at) and
 *     answers {"node", "version", "ok": true, "id": new row id, "text", "rows": row count}.
 *     Without text, the text is "written by NODE". GET, not POST: this is a lab.
 * GET /jw/web/json/cluster/notes: {"node", "version", "ok": true, "rows": n, "notes": [{"id",
 *     "text", "node", "version", "createdAt"}, ...]} in id order.
 * On a failure: {"node", "version", "ok": false, "step", "error", "db": what Lab.connect read}.
 */
package standin.jw;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

public class ClusterNoteServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_TEXT = 1000;
    // created_at is UTC, from the node's clock.
    private static final String CREATE = "CREATE TABLE IF NOT EXISTS `lab_note` ("
            + " `id` bigint NOT NULL AUTO_INCREMENT,"
            + " `text` varchar(" + MAX_TEXT + ") NOT NULL,"
            + " `node` varchar(255) NOT NULL,"
            + " `version` varchar(64) NOT NULL,"
            + " `created_at` datetime(3) NOT NULL,"
            + " PRIMARY KEY (`id`)"
            + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        boolean list = req.getServletPath().endsWith("/notes");
        String node = Lab.nodeName(req);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", node);
        out.put("version", Lab.VERSION);
        String text = req.getParameter("text");
        if (text == null) {
            text = "written by " + node;
        }
        if (!list && text.length() > MAX_TEXT) {
            out.put("ok", false);
            out.put("error", "text longer than " + MAX_TEXT + " characters");
            Lab.sendJson(resp, 400, out);
            return;
        }
        Map<String, Object> db = new LinkedHashMap<>();
        Lab.Step step = new Lab.Step();
        try (Connection c = Lab.connect(db, step)) {
            step.now = "creating table lab_note";
            try (Statement st = c.createStatement()) {
                st.execute(CREATE);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            if (list) {
                step.now = "reading lab_note";
                List<Object> notes = new ArrayList<>();
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT `id`, `text`, `node`, `version`, `created_at`"
                                + " FROM `lab_note` ORDER BY `id`")) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("id", rs.getLong(1));
                        row.put("text", rs.getString(2));
                        row.put("node", rs.getString(3));
                        row.put("version", rs.getString(4));
                        LocalDateTime t = rs.getObject(5, LocalDateTime.class);
                        row.put("createdAt", t == null ? null : t.toInstant(ZoneOffset.UTC).toString());
                        notes.add(row);
                    }
                }
                result.put("rows", notes.size());
                result.put("notes", notes);
            } else {
                step.now = "inserting into lab_note";
                long id;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO `lab_note`"
                        + " (`text`, `node`, `version`, `created_at`) VALUES (?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, text);
                    ps.setString(2, node);
                    ps.setString(3, Lab.VERSION);
                    ps.setObject(4, LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                step.now = "counting lab_note";
                long rows;
                try (Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM `lab_note`")) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                result.put("id", id);
                result.put("text", text);
                result.put("rows", rows);
            }
            out.put("ok", true);
            out.putAll(result);
            Lab.sendJson(resp, 200, out);
        } catch (Exception | LinkageError e) {
            out.put("ok", false);
            out.put("step", step.now);
            out.put("error", e.toString());
            out.put("db", db);
            Lab.sendJson(resp, 500, out);
        }
    }
}
