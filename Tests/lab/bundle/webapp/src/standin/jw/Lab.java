/*
 * STAND-IN, NOT JOGET. Part of the joget-cluster rehearsal lab (Tests/lab): a tiny web app
 * packaged as jw.war so that a cluster installer has something with Joget's shape to deploy.
 * Helpers shared by the lab's servlets: the stand-in's version, node name, wflow.home,
 * datasource files and the connection they describe, system key, and a very small JSON writer.
 */
package standin.jw;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Driver;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

final class Lab {
    /** Resource written into WEB-INF/classes by the lab's bundle build (Tests/lab/lib/bundle.sh). */
    static final String VERSION_RESOURCE = "standin-version.properties";
    /** The bundle version this WAR was built as (8.1.6, 8.1.7, ...), or "unknown". */
    static final String VERSION = readVersion();
    static final String EDITION = "enterprise";
    private static final String MARIADB = "org.mariadb.jdbc.Driver";

    private Lab() {
    }

    private static String readVersion() {
        try (InputStream in = Lab.class.getClassLoader().getResourceAsStream(VERSION_RESOURCE)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    /** "8" for 8.1.7. */
    static String majorVersion() {
        int dot = VERSION.indexOf('.');
        return dot > 0 ? VERSION.substring(0, dot) : VERSION;
    }

    /** -Dwflow.name, else the Engine's jvmRoute, else the session id suffix, else the hostname. */
    static String nodeName(HttpServletRequest req) {
        String n = System.getProperty("wflow.name");
        if (n != null && !n.isBlank()) {
            return n.trim();
        }
        String route = jvmRoute();
        if (route != null && !route.isBlank()) {
            return route;
        }
        if (req != null && req.getSession(false) != null) {
            String id = req.getSession(false).getId();
            int dot = id.indexOf('.');
            if (dot > 0 && dot < id.length() - 1) {
                return id.substring(dot + 1);
            }
        }
        return hostname();
    }

    static String jvmRoute() {
        String r = System.getProperty("jvmRoute");
        if (r != null && !r.isBlank()) {
            return r.trim();
        }
        try {
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName on : mbs.queryNames(new ObjectName("*:type=Engine"), null)) {
                Object v = mbs.getAttribute(on, "jvmRoute");
                if (v != null && !v.toString().isBlank()) {
                    return v.toString();
                }
            }
        } catch (Exception | LinkageError e) {
            // not readable: fall through
        }
        return null;
    }

    static String hostname() {
        try {
            String h = Files.readString(Paths.get("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException e) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static Path wflowHome() {
        String h = System.getProperty("wflow.home");
        if (h == null || h.isBlank()) {
            h = System.getProperty("user.home") + "/wflow";
        }
        return Paths.get(h);
    }

    static Properties load(Path p) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(p)) {
            props.load(in);
        }
        return props;
    }

    /** The datasource profile name in force (currentProfile of app_datasource.properties). */
    static String profile() {
        try {
            String p = load(wflowHome().resolve("app_datasource.properties")).getProperty("currentProfile");
            return p == null || p.isBlank() ? "default" : p.trim();
        } catch (IOException e) {
            return "default";
        }
    }

    /** What {@link #connect} is doing; on a failure, the step it failed in. */
    static final class Step {
        String now;
    }

    /**
     * Opens the Joget datasource as Joget does: WFLOW_HOME/app_datasource.properties
     * (currentProfile), then app_datasource-PROFILE.properties read with java.util.Properties,
     * workflowDriver/workflowUrl/workflowUser/workflowPassword. Puts profile, driver, url, user,
     * note (if any), driverUsed and urlUsed into {@code out}; keeps {@code step} current.
     *
     * Stand-in behaviour: the WAR carries only MariaDB Connector/J. When workflowDriver names a
     * MySQL Connector/J class (com.mysql.cj.jdbc.Driver or com.mysql.jdbc.Driver) that is not on
     * the class path, the MariaDB driver is used instead and a jdbc:mysql: URL is rewritten to
     * jdbc:mariadb:; "note" says so.
     */
    static Connection connect(Map<String, Object> out, Step step) throws Exception {
        Path home = wflowHome();
        step.now = "reading " + home.resolve("app_datasource.properties");
        String profile = profile();
        out.put("profile", profile);
        Path dsFile = home.resolve("app_datasource-" + profile + ".properties");
        step.now = "reading " + dsFile;
        Properties ds = load(dsFile);
        String driver = ds.getProperty("workflowDriver", "").trim();
        String url = ds.getProperty("workflowUrl", "").trim();
        String user = ds.getProperty("workflowUser", "");
        String password = ds.getProperty("workflowPassword", "");
        out.put("driver", driver);
        out.put("url", url);
        out.put("user", user);

        step.now = "loading driver " + driver;
        String driverUsed = driver;
        String urlUsed = url;
        ClassLoader loader = Lab.class.getClassLoader();
        Class<?> cls;
        try {
            cls = Class.forName(driver, true, loader);
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
            cls = Class.forName(MARIADB, true, loader);
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
        step.now = "connecting to " + urlUsed;
        Connection c = d.connect(urlUsed, info);
        if (c == null) {
            throw new IllegalArgumentException("driver " + driverUsed + " does not accept URL " + urlUsed);
        }
        return c;
    }

    /** Name of the interface of the default route (from /proc/net/route). */
    static String defaultRouteInterface() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/net/route"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 2 && "00000000".equals(f[1])) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return null;
    }

    static String mac() {
        try {
            String ifName = defaultRouteInterface();
            NetworkInterface ni = ifName == null ? null : NetworkInterface.getByName(ifName);
            if (ni == null || ni.getHardwareAddress() == null) {
                ni = null;
                for (NetworkInterface cand : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    if (!cand.isLoopback() && cand.getHardwareAddress() != null) {
                        ni = cand;
                        break;
                    }
                }
            }
            if (ni != null) {
                byte[] hw = ni.getHardwareAddress();
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < hw.length; i++) {
                    sb.append(i == 0 ? "" : ":").append(String.format("%02x", hw[i] & 0xff));
                }
                return sb.toString();
            }
        } catch (IOException e) {
            // fall through
        }
        return "00:00:00:00:00:00";
    }

    /**
     * Stand-in system key: md5 of the MAC of the default-route interface, the datasource
     * profile name, the major version and the edition. So two nodes differ, and a change of
     * MAC or profile changes the key, as the real DX 8 key does (the real algorithm is not this).
     */
    static String systemKey() {
        String seed = mac() + "|" + profile() + "|" + majorVersion() + "|" + EDITION;
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            StringBuilder sb = new StringBuilder();
            for (byte b : md.digest(seed.getBytes(StandardCharsets.UTF_8))) {
                sb.append(String.format("%02x", b & 0xff));
            }
            return sb.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Activation stand-in: the file wflow.home/lab-license-NODE.txt, if present. */
    static Path licenseFile(String node) {
        return wflowHome().resolve("lab-license-" + node.replaceAll("[^A-Za-z0-9._-]", "_") + ".txt");
    }

    // ------------------------------------------------------------------ JSON
    static String json(Object v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                write(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                write(sb, l.get(i));
            }
            sb.append(']');
        } else {
            String s = v.toString();
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
    }

    static void sendJson(HttpServletResponse resp, int status, Map<String, Object> body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().println(json(body));
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
