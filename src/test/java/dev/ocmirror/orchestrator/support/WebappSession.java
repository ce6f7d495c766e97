package dev.ocmirror.orchestrator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A person signed in to Tasklist: Camunda's login, its session cookie and CSRF token, and the webapps' own engine
 * API under {@code /camunda/api/engine}, the door Tasklist's forms use.
 */
public final class WebappSession {

  private final CookieManager cookies = new CookieManager();
  private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies).build();
  private final String baseUrl;

  private WebappSession(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public static WebappSession signIn(int port, String user, String password) {
    return signIn(port, user, password, "tasklist");
  }

  /** Signed in through the login of one webapp ({@code tasklist}, {@code cockpit}, {@code welcome}). */
  public static WebappSession signIn(int port, String user, String password, String app) {
    WebappSession session = new WebappSession("http://127.0.0.1:" + port);
    session.send(HttpRequest.newBuilder(URI.create(session.baseUrl + "/camunda/app/tasklist/default/")).GET());
    String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8);
    HttpApi.Response login = session.send(session.withCsrf(HttpRequest.newBuilder(
            URI.create(session.baseUrl + "/camunda/api/admin/auth/user/default/login/" + app)))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    if (login.status() != 200) {
      throw new IllegalStateException("Login of " + user + " failed: " + login.status() + " " + login.body());
    }
    // Signing in starts a new session, and with it a new CSRF token.
    session.send(HttpRequest.newBuilder(URI.create(session.baseUrl + "/camunda/api/admin/auth/user/default")).GET());
    return session;
  }

  /** A POST to the webapps' engine API, e.g. {@code /task/{id}/submit-form}. */
  public HttpApi.Response post(String enginePath, String jsonBody) {
    return send(withCsrf(HttpRequest.newBuilder(URI.create(baseUrl + "/camunda/api/engine/engine/default" + enginePath)))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
  }

  /** A GET from the webapps' engine API, e.g. {@code /task/{id}/form-variables} as Tasklist loads a form. */
  public HttpApi.Response get(String enginePath) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/camunda/api/engine/engine/default" + enginePath))
        .header("Accept", "application/json").GET());
  }

  /** A GET of any path of the service with this session, redirects not followed. */
  public HttpApi.Response page(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  /** A form POST to any path of the service with this session and the webapps' CSRF header, as their scripts send. */
  public HttpApi.Response postForm(String path, String form) {
    return send(withCsrf(HttpRequest.newBuilder(URI.create(baseUrl + path)))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  private HttpRequest.Builder withCsrf(HttpRequest.Builder request) {
    for (HttpCookie cookie : cookies.getCookieStore().getCookies()) {
      if (cookie.getName().equals("XSRF-TOKEN")) {
        request.header("X-XSRF-TOKEN", cookie.getValue());
      }
    }
    return request;
  }

  private HttpApi.Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new HttpApi.Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
