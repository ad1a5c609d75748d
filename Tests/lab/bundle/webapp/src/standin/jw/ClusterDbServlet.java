/*
 * STAND-IN, NOT JOGET (joget-cluster rehearsal lab, Tests/lab).
 * GET /jw/web/json/cluster/db: reads WFLOW_HOME/app_datasource.properties (currentProfile),
 * then app_datasource-PROFILE.properties with java.util.Properties, as Joget does, connects
 * with workflowDriver/workflowUrl/workflowUser/workflowPassword and lists the schema's tables.
 *
 * Stand-in behaviour: the WAR carries only MariaDB Connector/J. When workflowDriver names a
 * MySQL Connector/J class (com.mysql.cj.jdbc.Driver or com.mysql.jdbc.Driver) that is not on
 * the class path, the MariaDB driver is used instead and a jdbc:mysql: URL is rewritten to
 * jdbc:mariadb: (Connector/J 3 would otherwise want permitMysqlScheme). The answer says so
 * in "driverUsed", "urlUsed" and "note".
 */
package standin.jw;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

public class ClusterDbServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String MARIADB = "org.mariadb.jdbc.Driver";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", Lab.nodeName(req));
        Path home = Lab.wflowHome();
        out.put("wflowHome", home.toString());
        String step = "reading " + home.resolve("app_datasource.properties");
        try {
            String profile = Lab.profile();
            out.put("profile", profile);
            Path dsFile = home.resolve("app_datasource-" + profile + ".properties");
            step = "reading " + dsFile;
            Properties ds = Lab.load(dsFile);
            String driver = ds.getProperty("workflowDriver", "").trim();
            String url = ds.getProperty("workflowUrl", "").trim();
            String user = ds.getProperty("workflowUser", "");
            String password = ds.getProperty("workflowPassword", "");
            out.put("driver", driver);
            out.put("url", url);
            out.put("user", user);

            step = "loading driver " + driver;
            String driverUsed = driver;
            String urlUsed = url;
            Class<?> cls;
            try {
                cls = Class.forName(driver, true, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                if (!driver.startsWith("com.mysql.")) {
                    throw e;
                }
                driverUsed = MARIADB;
                if (url.startsWith("jdbc:mysql:")) {
                    urlUsed = "jdbc:mariadb:" + url.substring("jdbc:mysql:".length());
                }
                out.put("note", "stand-in: " + driver + " is not in the stand-in WAR; used " + MARIADB
                        + (urlUsed.equals(url) ? "" : " with the URL scheme jdbc:mariadb:"));
                cls = Class.forName(MARIADB, true, getClass().getClassLoader());
            }
            out.put("driverUsed", driverUsed);
            out.put("urlUsed", urlUsed);
            Driver d = (Driver) cls.getDeclaredConstructor().newInstance();
            Properties info = new Properties();
            info.setProperty("user", user);
            info.setProperty("password", password);
            if (!urlUsed.contains("connectTimeout")) {
                info.setProperty("connectTimeout", "5000");
            }
            step = "connecting to " + urlUsed;
            try (Connection c = d.connect(urlUsed, info)) {
                if (c == null) {
                    throw new IllegalArgumentException("driver " + driverUsed + " does not accept URL " + urlUsed);
                }
                step = "listing tables";
                out.put("server", c.getMetaData().getDatabaseProductName() + " "
                        + c.getMetaData().getDatabaseProductVersion());
                List<Object> tables = new ArrayList<>();
                String schema;
                try (Statement st = c.createStatement()) {
                    try (ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
                        rs.next();
                        schema = rs.getString(1);
                    }
                    try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables"
                            + " WHERE table_schema = DATABASE() ORDER BY table_name")) {
                        while (rs.next()) {
                            tables.add(rs.getString(1));
                        }
                    }
                }
                out.put("ok", true);
                out.put("schema", schema);
                out.put("tableCount", tables.size());
                out.put("tables", tables);
            }
            Lab.sendJson(resp, 200, out);
        } catch (Exception | LinkageError e) {
            out.put("ok", false);
            out.put("step", step);
            out.put("error", e.toString());
            Lab.sendJson(resp, 500, out);
        }
    }
}
