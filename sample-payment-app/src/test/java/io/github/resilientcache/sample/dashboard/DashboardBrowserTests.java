package io.github.resilientcache.sample.dashboard;

import java.io.File;
import java.io.IOException;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import io.github.resilientcache.region.Regions;
import io.github.resilientcache.sample.support.PaymentAppTest;
import io.github.resilientcache.sample.support.PaymentsApi;
import io.github.resilientcache.sample.support.RegionControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless browser: Debian's {@code chromium} driven through its
 * {@code chromedriver}, nothing downloaded at test time. The page shows both regions live from the
 * starter's event stream; a click on Stop fails a region and the page shows it.
 */
@PaymentAppTest
class DashboardBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Autowired
	private Regions regions;

	private WebDriver browser;

	private RegionControl control;

	/**
	 * Skips the browser tests where Chromium is absent (a newcomer's machine: the README's
	 * {@code ./mvnw verify} must pass there), but fails them on CI ({@code CI=true}, which
	 * {@code .ci/run} runs with after installing Chromium), so that they can never be skipped there
	 * unnoticed.
	 */
	@BeforeAll
	static void requireChromium() {
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		String missing = "Dashboard browser tests skipped: Debian's Chromium and its driver (" + CHROMIUM + ", " + CHROMEDRIVER
				+ ") are not installed. To run them: apt-get update && apt-get install -y chromium chromium-driver";
		if (!installed && !"true".equalsIgnoreCase(System.getenv("CI"))) {
			System.err.println(missing);
			Assumptions.abort(missing);
		}
		assertThat(installed).as(missing.replace("skipped", "required on CI (CI=true)")).isTrue();
		// Names the driver, so that Selenium Manager never looks for (or downloads) one.
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
	}

	@BeforeEach
	void openBrowser(@TempDir Path profile) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1400,1100", "--user-data-dir=" + profile);
		this.control = new RegionControl(new PaymentsApi(this.port), this.regions);
		// A driver process per browser: quitting a browser stops its driver.
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void closeBrowser() {
		try {
			if (this.browser != null) {
				screenshot("dashboard-last.png");
				this.browser.quit();
			}
		}
		finally {
			this.control.restoreAllAndAwaitUp();
		}
	}

	@Test
	void showsBothRegionsUpAndAStoppedRegionGoingOpen() {
		this.browser.get("http://localhost:" + this.port + "/");
		waitForText(region("east", "state"), "UP");
		waitForText(region("west", "state"), "UP");
		waitForText(By.id("stream-status"), "live");
		waitForText(region("west", "server"), "RUNNING");
		this.browser.findElement(By.cssSelector("button[data-action='stop'][data-region='west']")).click();
		waitForText(region("west", "server"), "STOPPED");
		// The state comes from the stream: the cache took the region out.
		waitForText(region("west", "state"), "OPEN");
		assertThat(text(region("east", "state"))).isEqualTo("UP");
		assertThat(this.browser.findElement(By.id("events")).getText()).contains("west: UP → OPEN");
		screenshot("dashboard-region-stopped.png");
		this.browser.findElement(By.cssSelector("button[data-action='restore'][data-region='west']")).click();
		waitForText(region("west", "server"), "RUNNING");
		waitForText(region("west", "state"), "UP");
	}

	@Test
	void drawsTheFleetMatrixWithThisInstancesViewOfEachRegion() {
		this.browser.get("http://localhost:" + this.port + "/");
		new WebDriverWait(this.browser, WAIT).until((driver) -> driver
			.findElements(By.cssSelector("#fleet-matrix tbody td.fleet-cell[data-state='UP']")).size() == 2);
		assertThat(text(By.cssSelector("#fleet-matrix thead tr"))).contains("east", "west");
		assertThat(text(By.cssSelector("#fleet-matrix tbody tr"))).contains("(this)");
		screenshot("dashboard-fleet.png");
	}

	@Test
	void startsLoadAndShowsItsFigures() {
		this.browser.get("http://localhost:" + this.port + "/");
		waitForText(region("east", "state"), "UP");
		WebElement rate = this.browser.findElement(By.id("load-rate-input"));
		rate.clear();
		rate.sendKeys("50");
		WebElement seconds = this.browser.findElement(By.id("load-seconds-input"));
		seconds.clear();
		seconds.sendKeys("2");
		this.browser.findElement(By.id("load-start")).click();
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.textMatches(By.id("load-state"), Pattern.compile("#\\d+ finished")));
		assertThat(text(By.id("load-errors"))).isEqualTo("0");
		assertThat(Long.parseLong(text(By.id("load-approved"))) + Long.parseLong(text(By.id("load-declined"))))
			.isEqualTo(Long.parseLong(text(By.id("load-sent")))).isPositive();
		// The stream's rates events show the cache's hit ratio.
		new WebDriverWait(this.browser, WAIT).until(ExpectedConditions.textMatches(By.id("hit-ratio"), Pattern.compile("\\d+\\.\\d%")));
	}

	private static By region(String name, String field) {
		return By.cssSelector("[data-region='" + name + "'] [data-field='" + field + "']");
	}

	private void waitForText(By element, String text) {
		new WebDriverWait(this.browser, WAIT).withMessage(() -> element + " to show '" + text + "', page says: "
				+ this.browser.findElement(By.tagName("body")).getText())
			.until(ExpectedConditions.textToBe(element, text));
	}

	private String text(By element) {
		return this.browser.findElement(element).getText();
	}

	private void screenshot(String name) {
		try {
			File shot = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE);
			Path target = Path.of("target", name);
			Files.createDirectories(target.getParent());
			Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException | RuntimeException ex) {
			// A screenshot is a help for a human, never a reason to fail.
		}
	}

}
